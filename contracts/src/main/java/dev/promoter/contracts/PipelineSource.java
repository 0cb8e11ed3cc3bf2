package dev.promoter.contracts;

import java.net.URI;
import java.util.List;

/**
 * Where an application's builds come from, as its pipeline definition says: the source repositories whose
 * webhooks the build service accepts for it, the branches that build, and the builder asked to build them.
 *
 * @param github   the GitHub repository, {@code owner/name}, or null
 * @param gitlab   the GitLab project path, {@code group/.../project}, or null
 * @param branches the branches whose pushes ask for a build; empty: none do
 * @param jenkins  the Jenkins job that builds the application, or null when nothing is asked to build
 */
public record PipelineSource(String github, String gitlab, List<String> branches, JenkinsBuilder jenkins) {

    public PipelineSource {
        Require.optionalText(github, "source.github");
        Require.optionalText(gitlab, "source.gitlab");
        branches = List.copyOf(Require.present(branches, "source.branches"));
        branches.forEach(branch -> Require.text(branch, "source.branches[]"));
    }

    /**
     * A Jenkins job the build service triggers with {@code buildWithParameters}.
     *
     * @param url         the Jenkins root URL
     * @param job         the job's full name, folders separated by '/'
     * @param credentials the NAME of a credential set in the build service's configuration; never a secret
     */
    public record JenkinsBuilder(URI url, String job, String credentials) {

        public JenkinsBuilder {
            Require.httpUrl(url, "source.builder.jenkins.url");
            Require.text(job, "source.builder.jenkins.job");
            Require.name(credentials, "source.builder.jenkins.credentials");
        }
    }
}
