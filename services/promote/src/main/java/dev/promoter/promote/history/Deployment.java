package dev.promoter.promote.history;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One move of a stage's tag: the digest the stage ran from then on, who moved it and why. */
@Entity
@Table(name = "deployment")
public class Deployment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    public String previousDigest;
    /** Set when this move was a rollback: the digest it took the stage away from. */
    public String rollbackOf;
    /** For a rollback: what the rollback service found (the failed probes, the alert). */
    public String evidence;
    public String reason;
    public String actor;
    public String chainId;
    public Instant movedAt;

    public boolean isRollback() {
        return rollbackOf != null;
    }
}
