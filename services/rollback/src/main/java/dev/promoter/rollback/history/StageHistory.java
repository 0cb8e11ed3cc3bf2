package dev.promoter.rollback.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.promoter.contracts.RollbackTarget;
import dev.promoter.kit.page.Pages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One stage's deployment history as the rollback service knows it, shown the way {@code rpm-ostree status}
 * shows deployments: newest first, the current one and the rollback target marked.
 *
 * @param application    the application
 * @param stage          the stage
 * @param repository     the OCI repository whose {@code <stage>} tag the stage runs
 * @param current        the digest the stage runs now
 * @param rollbackTarget where a rollback would take the stage now, or null when nothing qualifies
 * @param health         {@code watching}, {@code healthy}, {@code held} (found unhealthy, nothing to go back
 *                       to, kept and quarantined) or {@code unprobed} (the stage has no health checks)
 * @param quarantined    the digests quarantined in this stage
 * @param deployments    one page of the moves of the stage's tag, newest first ({@code ?limit=&before=})
 * @param calls          what the stage's deploy hook and Slack channel were told, the newest 50, each with its
 *                       attempts
 * @param nextBefore     the {@code before} of the next (older) page of moves, absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageHistory(String application, String stage, String repository, String current, String rollbackTarget,
                           String health, List<String> quarantined, List<Entry> deployments, List<Call> calls,
                           Long nextBefore) {

    /**
     * One call about the stage: a deploy hook ({@code kind} {@code deploy-hook}, {@code target} its URL) or a Slack
     * notice ({@code slack}, the channel), about {@code digest}; {@code status} PENDING, SUCCEEDED, FAILED or
     * SUPERSEDED; {@code attemptLog} one line per attempt.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Call(long id, String kind, String digest, String target, String status, int attempts,
                       String lastOutcome, List<String> attemptLog, Instant createdAt, Instant finishedAt) {
    }

    /** The same history with the stage's calls. */
    public StageHistory withCalls(List<Call> stageCalls) {
        return new StageHistory(application, stage, repository, current, rollbackTarget, health, quarantined,
                deployments, List.copyOf(stageCalls), nextBefore);
    }

    /** One move of the stage's tag; for a rollback, {@code rollbackOf} names the digest it left. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long id, String digest, boolean current, boolean rollbackTarget, boolean healthy,
                        boolean quarantined, String rollbackOf, String reason, String actor, Instant movedAt, Instant verdictAt,
                        Instant healthyAt, Instant unhealthyAt, String evidence, boolean held, String heldReason) {
    }

    /**
     * One page of the history. {@code current}: the stage's newest move (null before the first); {@code target}: the
     * rollback target and the move that marks it; {@code page}: this page's moves, newest first, and the cursor of the
     * next page.
     */
    public static StageHistory page(HistoryPages.StageRow stage, HistoryPages.Move current, HistoryPages.Target target,
                                    Set<String> quarantinedDigests, Pages.Page<HistoryPages.Move> page) {
        List<Entry> entries = new ArrayList<>(page.items().size());
        for (HistoryPages.Move d : page.items()) {
            boolean isCurrent = current != null && d.id() == current.id();
            boolean isTarget = target.moveId() != null && d.id() == target.moveId();
            entries.add(new Entry(d.id(), d.digest(), isCurrent, isTarget, d.healthyAt() != null,
                    quarantinedDigests.contains(d.digest()), d.rollbackOf(), d.reason(), d.actor(), d.movedAt(),
                    d.verdictAt(), d.healthyAt(), d.unhealthyAt(), d.evidence(), d.heldReason() != null, d.heldReason()));
        }
        return new StageHistory(stage.application(), stage.stage(), stage.repository(), stage.currentDigest(),
                target.digest(), health(stage.probed(), current), List.copyOf(new TreeSet<>(quarantinedDigests)),
                List.copyOf(entries), null, page.nextBefore());
    }

    /**
     * The whole history on one page: {@code moves}, the stage's deployments oldest first; {@code quarantinedDigests}:
     * quarantined there. The rollback target is {@link RollbackTarget}'s choice, marked on its newest move.
     */
    public static StageHistory of(Stage stage, List<Deployment> moves, Set<String> quarantinedDigests) {
        String target = RollbackTarget.choose(moves.stream()
                .map(d -> new RollbackTarget.Move(d.digest, d.isHealthy())).toList(), quarantinedDigests).orElse(null);
        List<HistoryPages.Move> newestFirst = new ArrayList<>(moves.size());
        Long targetMove = null;
        for (int i = moves.size() - 1; i >= 0; i--) {
            Deployment d = moves.get(i);
            newestFirst.add(new HistoryPages.Move(d.id, d.digest, d.rollbackOf, d.reason, d.actor, d.movedAt,
                    d.verdictAt, d.healthyAt, d.unhealthyAt, d.evidence, d.heldReason));
            if (targetMove == null && i < moves.size() - 1 && d.digest.equals(target)) {
                targetMove = d.id;
            }
        }
        return page(new HistoryPages.StageRow(stage.application, stage.stage, stage.repository, stage.currentDigest,
                        stage.healthUrl != null), newestFirst.isEmpty() ? null : newestFirst.get(0),
                new HistoryPages.Target(targetMove, target), quarantinedDigests, new Pages.Page<>(newestFirst, null));
    }

    private static String health(boolean probed, HistoryPages.Move current) {
        if (current != null && current.heldReason() != null) {
            return "held";
        }
        if (!probed) {
            return "unprobed";
        }
        return current != null && current.healthyAt() != null ? "healthy" : "watching";
    }
}
