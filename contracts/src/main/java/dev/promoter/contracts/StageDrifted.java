package dev.promoter.contracts;

/**
 * A stage's registry tag was found pointing somewhere other than the stage's recorded current digest: moved by hand or
 * by another tool behind the pipeline's back.
 *
 * @param application    the application
 * @param repository     the OCI repository whose stage tag drifted
 * @param stage          the stage
 * @param recordedDigest what the stage runs by its deployment history
 * @param foundDigest    what the tag pointed at, or null when the tag was gone
 * @param restored       true when the tag was moved back to {@code recordedDigest} (the stage's policy says
 *                       {@code drift: restore}), false when it was only reported
 */
public record StageDrifted(String application, String repository, String stage, Digest recordedDigest,
                           Digest foundDigest, boolean restored) implements PipelineEvent {

    /** A custom type, named by the CDEvents rule {@code dev.cdeventsx.<tool>-<subject>.<predicate>.<version>}. */
    public static final String TYPE = "dev.cdeventsx.promoter-stage.drifted.0.1.0";

    public StageDrifted {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(recordedDigest, "recordedDigest");
        if (recordedDigest.equals(foundDigest)) {
            throw new IllegalArgumentException("foundDigest equals recordedDigest; that is no drift");
        }
    }

    /** The artifact the stage should run. */
    public ArtifactId artifactId() {
        return ArtifactId.of(repository, recordedDigest);
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
