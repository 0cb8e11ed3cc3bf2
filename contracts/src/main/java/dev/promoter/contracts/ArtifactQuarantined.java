package dev.promoter.contracts;

/**
 * An artifact failed health in a stage and will not be promoted again until a person lifts the quarantine.
 *
 * @param application the application
 * @param repository  the OCI repository holding the artifact
 * @param stage       the stage where it failed
 * @param digest      the quarantined artifact
 * @param reason      why, e.g. which health check failed
 */
public record ArtifactQuarantined(String application, String repository, String stage, Digest digest,
                                  String reason) implements PipelineEvent {

    /** A custom type, named by the CDEvents rule {@code dev.cdeventsx.<tool>-<subject>.<predicate>.<version>}. */
    public static final String TYPE = "dev.cdeventsx.promoter-artifact.quarantined.0.1.0";

    public ArtifactQuarantined {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
        Require.text(reason, "reason");
    }

    public ArtifactId artifactId() {
        return ArtifactId.of(repository, digest);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String subjectId() {
        return artifactId().purl();
    }

    @Override
    public Topic topic() {
        return Topics.ROLLBACKS;
    }
}
