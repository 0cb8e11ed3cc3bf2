package dev.promoter.promote.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One stage's deployments seen the way {@code rpm-ostree status} shows them: newest first, the
 * current one marked, and the rollback target — the newest earlier digest that is not quarantined.
 */
public record StageHistory(String stage, String current, String rollbackTarget, List<Entry> deployments) {

    /** One move of the stage's tag; {@code evidence}: what the rollback service found, for a rollback. */
    public record Entry(String digest, boolean current, boolean rollbackTarget, String previousDigest,
                        String rollbackOf, String reason, String actor, Instant movedAt, String evidence) {
    }

    /** {@code moves}: this stage's deployments oldest first; {@code quarantined}: digests quarantined here. */
    public static StageHistory of(String stage, List<Deployment> moves, Set<String> quarantined) {
        String current = moves.isEmpty() ? null : moves.get(moves.size() - 1).digest;
        String target = null;
        for (int i = moves.size() - 1; i >= 0 && target == null; i--) {
            String digest = moves.get(i).digest;
            if (!digest.equals(current) && !quarantined.contains(digest)) {
                target = digest;
            }
        }
        List<Entry> entries = new ArrayList<>();
        boolean targetMarked = false;
        for (int i = moves.size() - 1; i >= 0; i--) {
            Deployment d = moves.get(i);
            boolean isCurrent = i == moves.size() - 1;
            boolean isTarget = !targetMarked && !isCurrent && d.digest.equals(target);
            targetMarked |= isTarget;
            entries.add(new Entry(d.digest, isCurrent, isTarget, d.previousDigest, d.rollbackOf, d.reason, d.actor,
                    d.movedAt, d.evidence));
        }
        return new StageHistory(stage, current, target, List.copyOf(entries));
    }
}
