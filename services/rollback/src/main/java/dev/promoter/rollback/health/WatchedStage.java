package dev.promoter.rollback.health;

import dev.promoter.contracts.HealthCheckPolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * A stage whose health is probed, as it stood when the watch started: the digest it runs, the deployment
 * row that put it there, the policy to probe it by, and where a rollback would take it.
 *
 * @param application    the application
 * @param stage          the stage
 * @param repository     the OCI repository whose {@code <stage>} tag the stage runs
 * @param digest         the digest the stage runs
 * @param deploymentId   the deployment history row of that digest; identifies the watch, and grows with every move
 * @param chainId        the correlation id of the promotion that put the digest there
 * @param policy         how to probe it; null for a stage that is not probed but acted on from Alertmanager alerts
 * @param promotedAt     when the digest got there; the grace period counts from here
 * @param healthy        whether this deployment was already found healthy (a resumed watch)
 * @param rollbackTarget where the stage goes back to if this deployment fails, or null when nothing qualifies.
 *                       Only this service writes the stage's history and quarantine, and every write starts a new
 *                       watch, so it holds for the watch's lifetime; the rollback checks it again when it records.
 */
public record WatchedStage(String application, String stage, String repository, String digest, long deploymentId,
                           String chainId, HealthCheckPolicy policy, Instant promotedAt, boolean healthy,
                           Target rollbackTarget) {

    /**
     * A rollback target.
     *
     * @param digest  the digest to go back to
     * @param chainId the correlation id of the move that last brought it into the stage
     */
    public record Target(String digest, String chainId) {

        public Target {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(chainId, "chainId");
        }
    }

    public WatchedStage {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(promotedAt, "promotedAt");
    }

    /** The same watch with another rollback target, e.g. after a quarantine in the stage was lifted. */
    public WatchedStage withRollbackTarget(Target target) {
        return new WatchedStage(application, stage, repository, digest, deploymentId, chainId, policy, promotedAt,
                healthy, target);
    }

    /** {@code <application>/<stage>}: one watch per stage at a time. */
    public String key() {
        return key(application, stage);
    }

    public static String key(String application, String stage) {
        return application + "/" + stage;
    }
}
