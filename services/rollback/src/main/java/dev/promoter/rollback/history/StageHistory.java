package dev.promoter.rollback.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.promoter.contracts.RollbackTarget;
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
 * @param deployments    every move of the stage's tag, newest first
 * @param calls          what the stage's deploy hook and Slack channel were told, newest first, each with its attempts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageHistory(String application, String stage, String repository, String current, String rollbackTarget,
                           String health, List<String> quarantined, List<Entry> deployments, List<Call> calls) {

    /**
     * One call about the stage: a deploy hook ({@code kind} {@code deploy-hook}, {@code target} its URL) or a Slack
     * notice ({@code slack}, the channel), about {@code digest}; {@code status} PENDING, SUCCEEDED, FAILED or
     * SUPERSEDED; {@code attemptLog} one line per attempt.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Call(long id, String kind, String digest, String target, String status, int attempts,
                       String lastOutcome, List<String> attemptLog, Instant createdAt, Instant finishedAt) {
    }

    public StageHistory(String application, String stage, String repository, String current, String rollbackTarget,
                        String health, List<String> quarantined, List<Entry> deployments) {
        this(application, stage, repository, current, rollbackTarget, health, quarantined, deployments, null);
    }

    /** The same history with the stage's calls. */
    public StageHistory withCalls(List<Call> stageCalls) {
        return new StageHistory(application, stage, repository, current, rollbackTarget, health, quarantined,
                deployments, List.copyOf(stageCalls));
    }

    /** One move of the stage's tag; for a rollback, {@code rollbackOf} names the digest it left. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long id, String digest, boolean current, boolean rollbackTarget, boolean healthy,
                        boolean quarantined, String rollbackOf, String reason, String actor, Instant movedAt, Instant verdictAt,
                        Instant healthyAt, Instant unhealthyAt, String evidence, boolean held, String heldReason) {
    }

    /** {@code moves}: the stage's deployments oldest first; {@code quarantinedDigests}: quarantined there. */
    public static StageHistory of(Stage stage, List<Deployment> moves, Set<String> quarantinedDigests) {
        String target = RollbackTarget.choose(moves.stream()
                .map(d -> new RollbackTarget.Move(d.digest, d.isHealthy())).toList(), quarantinedDigests).orElse(null);
        List<Entry> entries = new ArrayList<>();
        boolean targetMarked = false;
        for (int i = moves.size() - 1; i >= 0; i--) {
            Deployment d = moves.get(i);
            boolean isCurrent = i == moves.size() - 1;
            boolean isTarget = !targetMarked && !isCurrent && d.digest.equals(target);
            targetMarked |= isTarget;
            entries.add(new Entry(d.id, d.digest, isCurrent, isTarget, d.isHealthy(), quarantinedDigests.contains(d.digest),
                    d.rollbackOf, d.reason, d.actor, d.movedAt, d.verdictAt, d.healthyAt, d.unhealthyAt, d.evidence, d.isHeld(),
                    d.heldReason));
        }
        Deployment current = moves.isEmpty() ? null : moves.get(moves.size() - 1);
        return new StageHistory(stage.application, stage.stage, stage.repository, stage.currentDigest, target,
                health(stage, current), List.copyOf(new TreeSet<>(quarantinedDigests)), List.copyOf(entries));
    }

    private static String health(Stage stage, Deployment current) {
        if (current != null && current.isHeld()) {
            return "held";
        }
        if (stage.healthUrl == null) {
            return "unprobed";
        }
        return current != null && current.isHealthy() ? "healthy" : "watching";
    }
}
