package dev.promoter.contracts;

/**
 * A stage received its first artifact ever: its tag now exists and points at {@code digest}.
 *
 * @param application    the application
 * @param repository     the OCI repository whose stage tag was set
 * @param stage          the stage
 * @param digest         the artifact the stage now runs
 * @param previousDigest always null: a first deployment has nothing before it; a move is a {@link ServiceUpgraded}
 * @param reason         why it was promoted, or null
 * @param actor          who or what promoted it, or null
 * @param policy         what the stage does with the artifact: its suites to run and its health checks
 */
public record ServiceDeployed(String application, String repository, String stage, Digest digest,
                              Digest previousDigest, String reason, String actor, StagePolicy policy)
        implements PipelineEvent {

    public static final String TYPE = "dev.cdevents.service.deployed.0.3.0";

    public ServiceDeployed {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
        if (previousDigest != null) {
            throw new IllegalArgumentException("previousDigest must be null for a first deployment;"
                    + " a stage that moved from one digest to another is a ServiceUpgraded");
        }
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

    /** {@code <application>/<stage>}: the service CDEvents talks about is the application running in a stage. */
    @Override
    public String subjectId() {
        return application + "/" + stage;
    }

    @Override
    public Topic topic() {
        return Topics.PROMOTIONS;
    }
}
