package dev.promoter.test.suite;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An artifact that entered a stage, with the stage's policy as its promotion carried it. */
@Entity
@Table(name = "artifact_in_stage")
public class ArtifactInStage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false)
    String application;

    @Column(nullable = false)
    String stage;

    @Column(nullable = false)
    String digest;

    @Column(nullable = false)
    String repository;

    /** The policy as a {@code service.deployed} CDEvent, read back with the contracts' codec. */
    @Column(nullable = false)
    byte[] policyEvent;

    String chainId;

    @Column(nullable = false)
    Instant enteredAt;
}
