package dev.promoter.contracts;

/**
 * A digest was found healthy in a stage: its health checks passed as many times in a row as the stage asks. The
 * soak gate of the next stage counts from here.
 *
 * @param application the application
 * @param repository  the OCI repository holding the artifact
 * @param stage       the stage where it is healthy
 * @param digest      the healthy artifact
 */
public record ServiceHealthy(String application, String repository, String stage, Digest digest)
        implements PipelineEvent {

    /** A custom type, named by the CDEvents rule {@code dev.cdeventsx.<tool>-<subject>.<predicate>.<version>}. */
    public static final String TYPE = "dev.cdeventsx.promoter-service.healthy.0.1.0";

    public ServiceHealthy {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
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
        return Topics.HEALTH;
    }
}
