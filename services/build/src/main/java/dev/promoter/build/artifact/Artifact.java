package dev.promoter.build.artifact;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An artifact this service accepted: one image digest of an application, and where it came from. */
@Entity
@Table(name = "artifact")
public class Artifact {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false)
    String application;

    @Column(nullable = false)
    String repository;

    @Column(nullable = false)
    String digest;

    String commitId;

    String buildUrl;

    String author;

    /** Who reported it: the name of the caller's token. */
    @Column(nullable = false)
    String reportedBy;

    /** The door it came through: api, github, gitlab or cdevents. */
    @Column(nullable = false)
    String source;

    /** The delivery that carried it (webhook or CloudEvent id); null for API calls. */
    String deliveryId;

    /** Labels the build reported, as a JSON object; null when none. */
    String labels;

    /** Id of the artifact.published event announcing it; a repeated report answers with it. */
    @Column(nullable = false)
    String eventId;

    @Column(nullable = false)
    Instant receivedAt;

    public String eventId() {
        return eventId;
    }
}
