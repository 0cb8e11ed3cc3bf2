package dev.promoter.contracts;

/**
 * A rollback moved a stage's tag back from a failing artifact to its previous known-good one.
 *
 * @param application      the application
 * @param repository       the OCI repository whose stage tag moved back
 * @param stage            the stage
 * @param digest           the known-good artifact the stage went back to
 * @param rolledBackDigest the failing artifact it left
 * @param reason           why, e.g. which health check failed
 * @param evidence         what showed it (probe result, alert name and link), or null
 */
public record ServiceRolledBack(String application, String repository, String stage, Digest digest,
                                Digest rolledBackDigest, String reason, String evidence) implements PipelineEvent {

    public static final String TYPE = "dev.cdevents.service.rolledback.0.3.0";

    public ServiceRolledBack {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
        Require.present(rolledBackDigest, "rolledBackDigest");
        Require.text(reason, "reason");
        Require.optionalText(evidence, "evidence");
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
        return Topics.ROLLBACKS;
    }
}
