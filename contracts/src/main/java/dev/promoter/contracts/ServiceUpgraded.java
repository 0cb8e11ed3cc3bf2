package dev.promoter.contracts;

/**
 * A promotion moved a stage's tag from {@code previousDigest} to {@code digest}.
 *
 * @param application    the application
 * @param repository     the OCI repository whose stage tag moved
 * @param stage          the stage
 * @param digest         the artifact the stage now runs
 * @param previousDigest the artifact it ran before
 * @param reason         why it was promoted, or null
 * @param actor          who or what promoted it, or null
 * @param policy         what the stage does with the artifact: its suites to run and its health checks
 */
public record ServiceUpgraded(String application, String repository, String stage, Digest digest,
                              Digest previousDigest, String reason, String actor, StagePolicy policy)
        implements PipelineEvent {

    public static final String TYPE = "dev.cdevents.service.upgraded.0.3.0";

    public ServiceUpgraded {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
        Require.present(previousDigest, "previousDigest");
        Require.optionalText(reason, "reason");
        Require.optionalText(actor, "actor");
        Require.present(policy, "policy");
    }

    public ArtifactId artifactId() {
        return ArtifactId.of(repository, digest);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@code <application>/<stage>}, the same subject as {@link ServiceDeployed}. */
    @Override
    public String subjectId() {
        return application + "/" + stage;
    }

    @Override
    public Topic topic() {
        return Topics.PROMOTIONS;
    }
}
