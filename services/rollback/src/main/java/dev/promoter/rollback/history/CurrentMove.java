package dev.promoter.rollback.history;

import java.time.Instant;

/**
 * The stage's current move as a decision reads it (a projection of its deployment row, not a managed entity): what
 * the stage runs, which promotion brought it, and what its health turned out to be so far.
 *
 * @param id          the deployment row
 * @param digest      the digest the stage runs
 * @param chainId     the correlation id of the move
 * @param healthy     whether it was found healthy in this deployment
 * @param unhealthy   whether it was found unhealthy in this deployment (rolled back from, or held)
 * @param traceparent the trace of the move, or null
 */
public record CurrentMove(long id, String digest, String chainId, boolean healthy, boolean unhealthy,
                          String traceparent) {

    /** The constructor HQL's {@code select new} calls: the row's columns as they are. */
    public CurrentMove(Long id, String digest, String chainId, Instant healthyAt, Instant unhealthyAt,
                       String traceparent) {
        this(id, digest, chainId, healthyAt != null, unhealthyAt != null, traceparent);
    }

    /** A move just recorded, as the next watch reads it. */
    public static CurrentMove of(Deployment deployment) {
        return new CurrentMove(deployment.id, deployment.digest, deployment.chainId, deployment.healthyAt,
                deployment.unhealthyAt, deployment.traceparent);
    }
}
