package dev.promoter.contracts;

/**
 * A stage's digest was found unhealthy but not rolled back: no earlier digest of the stage was healthy there and not
 * quarantined. The digest keeps running, quarantined, and a person has to act.
 *
 * @param application the application
 * @param repository  the OCI repository whose stage tag stays where it is
 * @param stage       the stage
 * @param digest      the unhealthy digest the stage keeps running
 * @param reason      why it was not rolled back, e.g. {@code no earlier digest was healthy in prod}
 * @param evidence    what showed it unhealthy (probe results, alert names)
 */
public record RollbackHeld(String application, String repository, String stage, Digest digest, String reason,
                           String evidence) implements PipelineEvent {

    /** A custom type, named by the CDEvents rule {@code dev.cdeventsx.<tool>-<subject>.<predicate>.<version>}. */
    public static final String TYPE = "dev.cdeventsx.promoter-rollback.held.0.1.0";

    public RollbackHeld {
        Require.name(application, "application");
        Require.repository(repository);
        Require.name(stage, "stage");
        Require.present(digest, "digest");
        Require.text(reason, "reason");
        Require.text(evidence, "evidence");
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
