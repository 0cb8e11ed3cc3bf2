package dev.promoter.rollback.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a stage's tag has drifted. One mismatch is not enough: promote moves a tag before its promotion event reaches
 * this service, and this service moves a tag before it records the rollback. A mismatch counts only when a later check
 * at least {@code confirmAfter} after the first sees the same tag while the stage's recorded deployment is unchanged.
 */
public final class DriftDecision {

    /** What a check concluded. */
    public enum Kind {
        /** The tag points at the recorded digest. */
        IN_SYNC,
        /** A mismatch seen for the first time (or different from the one seen before): wait for the next check. */
        FIRST_SEEN,
        /** The same mismatch, not yet {@code confirmAfter} old. */
        WAITING,
        /** The same mismatch over {@code confirmAfter}: the tag drifted. */
        CONFIRMED
    }

    /**
     * A mismatch seen by a check.
     *
     * @param deploymentId the stage's recorded deployment at the time
     * @param found        the digest the tag pointed at, or null when it was gone
     * @param firstSeenAt  the first check that saw it
     */
    public record Sighting(long deploymentId, String found, Instant firstSeenAt) {
    }

    /**
     * The conclusion, and the sighting to keep for the next check (null when in sync).
     *
     * @param kind     the conclusion
     * @param sighting what to remember
     */
    public record Result(Kind kind, Sighting sighting) {
    }

    private DriftDecision() {
    }

    public static Result check(Sighting previous, long deploymentId, String recorded, String found, Instant now,
                               Duration confirmAfter) {
        if (recorded.equals(found)) {
            return new Result(Kind.IN_SYNC, null);
        }
        if (previous == null || previous.deploymentId() != deploymentId || !Objects.equals(previous.found(), found)) {
            return new Result(Kind.FIRST_SEEN, new Sighting(deploymentId, found, now));
        }
        boolean old = !now.isBefore(previous.firstSeenAt().plus(confirmAfter));
        return new Result(old ? Kind.CONFIRMED : Kind.WAITING, previous);
    }
}
