package dev.promoter.contracts;

/**
 * A person lifted an artifact's quarantine in a stage: it may be promoted (and rolled back to) there again.
 *
 * @param application the application
 * @param repository  the OCI repository holding the artifact
 * @param stage       the stage whose quarantine was lifted
 * @param digest      the artifact
 * @param reason      why the person lifted it
 * @param liftedBy    who lifted it (the API caller)
 */
public record ArtifactUnquarantined(String application, String repository, String stage, Digest digest,
                                    String reason, String liftedBy) implements PipelineEvent {

    /** A custom type, named by the CDEvents rule {@code dev.cdeventsx.<tool>-<subject>.<predicate>.<version>}. */
    public static final String TYPE = "dev.cdeventsx.promoter-artifact.unquarantined.0.1.0";

    public ArtifactUnquarantined {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
        Require.text(reason, "reason");
        Require.text(liftedBy, "liftedBy");
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
