package dev.promoter.promote.artifact;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An artifact promote heard of through artifact.published, with where it came from. */
@Entity
@Table(name = "artifact")
public class ReceivedArtifact {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String digest;
    public String repository;
    public String commitId;
    public String buildUrl;
    public String author;
    public String chainId;
    public Instant receivedAt;
    /** Why the artifact is not moving through the pipeline, when it is not. */
    public String note;
    /** The trace of the artifact's journey (W3C traceparent), or null when tracing was off. */
    public String traceparent;
    /** When the artifact's commit was made, as the build said; null when it did not. */
    public Instant commitTime;
}
