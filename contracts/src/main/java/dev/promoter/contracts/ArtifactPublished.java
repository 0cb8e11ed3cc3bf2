package dev.promoter.contracts;

import java.time.Instant;

/**
 * An artifact was built and its digest is confirmed to exist in the registry.
 *
 * @param application the application the artifact belongs to
 * @param repository  the OCI repository holding it
 * @param digest      the artifact's digest
 * @param commit      the source commit it was built from, or null when the builder did not say
 * @param buildUrl    where the build can be seen, or null
 * @param author      who triggered the build, or null
 * @param commitTime  when the commit was made (the start of DORA's lead time for changes), or null when unknown
 */
public record ArtifactPublished(String application, String repository, Digest digest, String commit,
                                String buildUrl, String author, Instant commitTime) implements PipelineEvent {

    public static final String TYPE = "dev.cdevents.artifact.published.0.3.0";

    public ArtifactPublished {
        Require.name(application, "application");
        Require.repository(repository);
        Require.present(digest, "digest");
        Require.optionalText(commit, "commit");
        Require.optionalText(buildUrl, "buildUrl");
        Require.optionalText(author, "author");
    }

    /** An artifact whose commit time is not known. */
    public ArtifactPublished(String application, String repository, Digest digest, String commit, String buildUrl,
                             String author) {
        this(application, repository, digest, commit, buildUrl, author, null);
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
        return Topics.ARTIFACTS;
    }
}
