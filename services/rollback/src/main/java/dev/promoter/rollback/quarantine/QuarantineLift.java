package dev.promoter.rollback.quarantine;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The audit record of a quarantine a person lifted: which digest in which stage, who, when and why. */
@Entity
@Table(name = "quarantine_lift")
public class QuarantineLift {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String digest;
    /** Why the digest had been quarantined (the quarantine's first reason). */
    public String quarantineReason;
    public Instant quarantinedAt;
    /** The caller whose bearer token lifted it. */
    public String liftedBy;
    public Instant liftedAt;
    /** Why it was lifted, as the caller said. */
    public String reason;
}
