package dev.promoter.promote.history;

import dev.promoter.contracts.RollbackTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One stage's deployments seen the way {@code rpm-ostree status} shows them: newest first, the
 * current one marked, and the rollback target — the digest the rollback service would choose
 * ({@link RollbackTarget}: the newest earlier digest found healthy here and not quarantined here).
 */
public record StageHistory(String stage, String current, String rollbackTarget, List<Entry> deployments,
                           Long nextBefore) {

    /**
     * One move of the stage's tag; {@code id}: its place in the history (the {@code before} of paging);
     * {@code evidence}: what the rollback service found, for a rollback.
     */
    public record Entry(Long id, String digest, boolean current, boolean rollbackTarget, String previousDigest,
                        String rollbackOf, String reason, String actor, Instant movedAt, String evidence) {
    }

    /**
     * {@code moves}: this stage's deployments oldest first; {@code healthy}: digests found healthy here;
     * {@code quarantined}: digests quarantined here.
     */
    public static StageHistory of(String stage, List<Deployment> moves, Set<String> healthy, Set<String> quarantined) {
        String current = moves.isEmpty() ? null : moves.get(moves.size() - 1).digest;
        String target = RollbackTarget.choose(moves.stream()
                .map(d -> new RollbackTarget.Move(d.digest, healthy.contains(d.digest))).toList(), quarantined)
                .orElse(null);
        List<Entry> entries = new ArrayList<>();
        boolean targetMarked = false;
        for (int i = moves.size() - 1; i >= 0; i--) {
            Deployment d = moves.get(i);
            boolean isCurrent = i == moves.size() - 1;
            boolean isTarget = !targetMarked && !isCurrent && d.digest.equals(target);
            targetMarked |= isTarget;
            entries.add(new Entry(d.id, d.digest, isCurrent, isTarget, d.previousDigest, d.rollbackOf, d.reason, d.actor,
                    d.movedAt, d.evidence));
        }
        return new StageHistory(stage, current, target, List.copyOf(entries), null);
    }

    /**
     * One page of a stage's history, newest first: {@code window} holds the stage's newest move, its rollback target
     * and the page's moves (rows detached from any session).
     */
    public static StageHistory page(String stage, HistoryPages.Window window) {
        Deployment newest = window.current();
        List<Entry> entries = new ArrayList<>(window.page().items().size());
        for (Deployment d : window.page().items()) {
            boolean isCurrent = newest != null && d.id.equals(newest.id);
            boolean isTarget = window.target().moveId() != null && d.id.equals(window.target().moveId());
            entries.add(new Entry(d.id, d.digest, isCurrent, isTarget, d.previousDigest, d.rollbackOf, d.reason,
                    d.actor, d.movedAt, d.evidence));
        }
        return new StageHistory(stage, newest == null ? null : newest.digest, window.target().digest(),
                List.copyOf(entries), window.page().nextBefore());
    }
}
