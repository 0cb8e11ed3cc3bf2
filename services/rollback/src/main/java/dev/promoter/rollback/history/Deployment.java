package dev.promoter.rollback.history;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One move of a stage's tag in the deployment history: the digest the stage ran from then on, why, and what
 * its health turned out to be there. A rollback is a move like any other, with {@code rollbackOf} set.
 */
@Entity
@Table(name = "deployment")
public class Deployment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    /** Set when this move was a rollback: the failing digest it took the stage away from. */
    public String rollbackOf;
    public String reason;
    /** Who or what moved the tag: the promotion's actor, the operator of a manual rollback, or this service. */
    public String actor;
    public String chainId;
    /** When the tag moved; for a rollback, right after the registry answered. */
    public Instant movedAt;
    /** The trace of the move (W3C traceparent of the event it was heard from), or null when tracing was off. */
    public String traceparent;
    /** For a rollback: when the verdict that caused it was reached. */
    public Instant verdictAt;
    /** When the digest was first found healthy in this deployment. */
    public Instant healthyAt;
    /** When the digest was found unhealthy in this deployment, and what showed it. */
    public Instant unhealthyAt;
    public String evidence;
    /** Why the stage kept this unhealthy digest: no earlier digest could replace it. */
    public String heldReason;

    /** A promotion into the stage, as the promotion event told it. */
    public static Deployment promotion(String application, String stage, String digest, String reason, String chainId,
                                       Instant movedAt) {
        Deployment deployment = new Deployment();
        deployment.application = application;
        deployment.stage = stage;
        deployment.digest = digest;
        deployment.reason = reason;
        deployment.chainId = chainId;
        deployment.movedAt = movedAt;
        return deployment;
    }

    /** A rollback of the stage to {@code digest}, away from {@code rollbackOf}. */
    public static Deployment rollback(String application, String stage, String digest, String rollbackOf, String reason,
                                      String chainId, Instant verdictAt, Instant movedAt) {
        Deployment deployment = promotion(application, stage, digest, reason, chainId, movedAt);
        deployment.rollbackOf = rollbackOf;
        deployment.verdictAt = verdictAt;
        return deployment;
    }

    public boolean isHealthy() {
        return healthyAt != null;
    }

    public boolean isUnhealthy() {
        return unhealthyAt != null;
    }

    public boolean isHeld() {
        return heldReason != null;
    }

    /** The digest failed health here and the stage moved away from it. */
    public void failed(Instant at, String evidence) {
        this.unhealthyAt = at;
        this.evidence = evidence;
    }

    /** The digest failed health here and nothing could replace it, so the stage keeps it. */
    public void held(Instant at, String evidence, String reason) {
        failed(at, evidence);
        this.heldReason = reason;
    }
}
