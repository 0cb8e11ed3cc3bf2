package dev.promoter.rollback.health;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** What follows a health verdict on a watched stage; the prober calls it on a Vert.x context of its own. */
public interface StageVerdicts {

    /** The stage's current deployment became healthy: record it. */
    Uni<Void> healthy(WatchedStage stage, HealthVerdict verdict);

    /**
     * The stage's current deployment is unhealthy: act on it. Returns the stage to watch next (after a rollback,
     * the digest it went back to), or empty when there is nothing to watch (held, or the stage moved on meanwhile).
     */
    Uni<Optional<WatchedStage>> unhealthy(WatchedStage stage, HealthVerdict verdict);
}
