package dev.promoter.rollback.rollback;

import dev.promoter.contracts.RollbackTarget;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rule behind an operator's manual rollback of a stage: without a named digest it goes to the stage's rollback
 * target ({@link RollbackTarget#choose}); with one, to that digest, which must be an earlier digest of the stage's
 * own history, not the one it runs now and not quarantined there.
 */
public final class ManualRollback {

    /** Why a manual rollback cannot go anywhere; the request then changes nothing. */
    public enum Refusal {
        /** No digest named, and no earlier digest qualifies as the rollback target. */
        NO_TARGET,
        /** The named digest is the one the stage runs now. */
        CURRENT,
        /** The named digest never ran in the stage. */
        NEVER_RAN,
        /** The named digest is quarantined in the stage; its quarantine must be lifted first. */
        QUARANTINED
    }

    /** Where the stage goes, or why it does not: exactly one of the two is set. */
    public record Decision(String digest, Refusal refusal) {

        public Decision {
            if ((digest == null) == (refusal == null)) {
                throw new IllegalArgumentException("a decision has either a digest or a refusal");
            }
        }

        static Decision to(String digest) {
            return new Decision(Objects.requireNonNull(digest), null);
        }

        static Decision refused(Refusal refusal) {
            return new Decision(null, refusal);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    private ManualRollback() {
    }

    /**
     * {@code stageHistory}: the stage's moves oldest first, the last being what it runs now;
     * {@code quarantinedDigests}: quarantined in this stage; {@code named}: the digest the operator asked for, or
     * empty for the rollback target.
     */
    public static Decision decide(List<RollbackTarget.Move> stageHistory, Set<String> quarantinedDigests,
                                  Optional<String> named) {
        if (named.isEmpty()) {
            return RollbackTarget.choose(stageHistory, quarantinedDigests).map(Decision::to)
                    .orElse(Decision.refused(Refusal.NO_TARGET));
        }
        String digest = named.get();
        if (stageHistory.isEmpty()) {
            return Decision.refused(Refusal.NEVER_RAN);
        }
        if (stageHistory.get(stageHistory.size() - 1).digest().equals(digest)) {
            return Decision.refused(Refusal.CURRENT);
        }
        boolean ranEarlier = stageHistory.subList(0, stageHistory.size() - 1).stream()
                .anyMatch(move -> move.digest().equals(digest));
        if (!ranEarlier) {
            return Decision.refused(Refusal.NEVER_RAN);
        }
        if (quarantinedDigests.contains(digest)) {
            return Decision.refused(Refusal.QUARANTINED);
        }
        return Decision.to(digest);
    }
}
