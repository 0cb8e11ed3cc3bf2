package dev.promoter.rollback.drift;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A confirmed drift of a stage's tag, and whether the tag was restored. */
@Entity
@Table(name = "drift")
public class Drift {

    public static final String REPORTED = "reported";
    public static final String RESTORED = "restored";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String recordedDigest;
    public Long recordedDeploymentId;
    /** Null when the tag was gone. */
    public String foundDigest;
    public Instant firstSeenAt;
    public Instant confirmedAt;
    public String action;
}
