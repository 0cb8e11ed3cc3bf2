package dev.promoter.build.source;

import dev.promoter.contracts.PipelineDefined;
import dev.promoter.contracts.PipelineSource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where one application's builds come from, as its newest pipeline definition says. */
@Entity
@Table(name = "application_source")
public class ApplicationSource {

    @Id
    String application;

    @Column(nullable = false)
    String repository;

    /** {@code owner/name}, lowercase. */
    String github;

    /** {@code group/.../project}, lowercase. */
    String gitlab;

    @Column(nullable = false)
    String branches;

    String jenkinsUrl;

    String jenkinsJob;

    String jenkinsCredentials;

    @Column(nullable = false)
    Instant updatedAt;

    /** Takes over what the definition says; a definition without source clears the source. */
    void apply(PipelineDefined defined, Instant at) {
        application = defined.application();
        repository = defined.repository();
        PipelineSource source = defined.source();
        github = source == null || source.github() == null ? null : source.github().toLowerCase(Locale.ROOT);
        gitlab = source == null || source.gitlab() == null ? null : source.gitlab().toLowerCase(Locale.ROOT);
        branches = source == null ? "" : String.join("\n", source.branches());
        PipelineSource.JenkinsBuilder jenkins = source == null ? null : source.jenkins();
        jenkinsUrl = jenkins == null ? null : jenkins.url().toString();
        jenkinsJob = jenkins == null ? null : jenkins.job();
        jenkinsCredentials = jenkins == null ? null : jenkins.credentials();
        updatedAt = at;
    }

    public String application() {
        return application;
    }

    /** The application's OCI repository, {@code host[:port]/path}. */
    public String repository() {
        return repository;
    }

    /** Whether a push to this branch asks for a build. */
    public boolean builds(String branch) {
        return !branches.isEmpty() && Arrays.asList(branches.split("\n")).contains(branch);
    }

    public List<String> branches() {
        return branches.isEmpty() ? List.of() : List.of(branches.split("\n"));
    }

    /** The Jenkins job that builds the application, if the definition names one. */
    public Optional<PipelineSource.JenkinsBuilder> jenkins() {
        return jenkinsUrl == null ? Optional.empty()
                : Optional.of(new PipelineSource.JenkinsBuilder(URI.create(jenkinsUrl), jenkinsJob, jenkinsCredentials));
    }
}
