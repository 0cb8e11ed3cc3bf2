package dev.promoter.contracts;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rule that picks where a failing stage goes back to: the newest earlier digest of this stage's own
 * deployment history that was found healthy there, is not the digest the stage runs now and is not quarantined
 * there. None qualifies: no target, and nothing is guessed.
 *
 * <p>One rule for two services: the rollback service chooses with it, and promote shows its answer as the stage's
 * rollback target (from the {@code service.healthy} events it keeps), so the API shows where a rollback would go.
 */
public final class RollbackTarget {

    /**
     * One move of the stage's tag, as the rule needs it.
     *
     * @param digest  the digest the stage ran from that move on
     * @param healthy whether it was found healthy in the stage during that deployment
     */
    public record Move(String digest, boolean healthy) {

        public Move {
            Objects.requireNonNull(digest, "digest");
        }
    }

    private RollbackTarget() {
    }

    /**
     * {@code stageHistory}: the stage's moves oldest first, the last being what it runs now;
     * {@code quarantinedDigests}: the digests quarantined in this stage.
     */
    public static Optional<String> choose(List<Move> stageHistory, Set<String> quarantinedDigests) {
        if (stageHistory.isEmpty()) {
            return Optional.empty();
        }
        String current = stageHistory.get(stageHistory.size() - 1).digest();
        // A digest found healthy in any earlier deployment here counts, e.g. one that a rollback brought back.
        Set<String> healthyHere = new HashSet<>();
        for (Move move : stageHistory) {
            if (move.healthy()) {
                healthyHere.add(move.digest());
            }
        }
        for (int i = stageHistory.size() - 2; i >= 0; i--) {
            String digest = stageHistory.get(i).digest();
            if (!digest.equals(current) && healthyHere.contains(digest) && !quarantinedDigests.contains(digest)) {
                return Optional.of(digest);
            }
        }
        return Optional.empty();
    }
}
