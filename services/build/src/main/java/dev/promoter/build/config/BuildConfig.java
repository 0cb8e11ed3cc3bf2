package dev.promoter.build.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the build service. */
@ConfigMapping(prefix = "build")
public interface BuildConfig {

    /**
     * Bearer tokens of the callers of this service's API, by caller name (e.g.
     * {@code build.api-tokens.jenkins}); from the environment only. None configured: every call is refused.
     */
    Map<String, String> apiTokens();

    /**
     * Roles of those callers, comma-separated ({@code build.api-roles.jenkins=reporter}, environment
     * {@code BUILD_API_ROLES_JENKINS}); a caller without roles is refused everything. See docs/security.md.
     */
    Map<String, String> apiRoles();

    /** GitHub webhooks. */
    GitHub github();

    /** GitLab webhooks. */
    GitLab gitlab();

    /** Jenkins, the builder asked to build pushed commits. */
    Jenkins jenkins();

    /** GitHub webhook settings. */
    interface GitHub {

        /**
         * The webhook secret GitHub signs deliveries with ({@code X-Hub-Signature-256}); from the environment
         * only ({@code BUILD_GITHUB_WEBHOOK_SECRET}). Absent: every delivery is refused with 401.
         */
        Optional<String> webhookSecret();
    }

    /** GitLab webhook settings. */
    interface GitLab {

        /**
         * The secret token GitLab sends in {@code X-Gitlab-Token}; from the environment only
         * ({@code BUILD_GITLAB_WEBHOOK_TOKEN}). Absent: deliveries are answered 503 (our fault, not GitLab's,
         * so GitLab does not disable the hook for good).
         */
        Optional<String> webhookToken();
    }

    /** Jenkins settings. */
    interface Jenkins {

        /**
         * Credential sets by name, as pipeline definitions name them ({@code source.builder.jenkins.credentials}):
         * {@code build.jenkins.credentials.<name>.user} and either {@code .api-token} (preferred) or
         * {@code .password}; secrets from the environment only.
         */
        Map<String, JenkinsCredentials> credentials();

        /** How many times a build request is tried before it is given up as ERRORED. */
        @WithDefault("5")
        int maxAttempts();

        /** The wait before a PENDING build request is tried again; it doubles with every attempt, up to 16 times this. */
        @WithDefault("5s")
        Duration retryInterval();

        /** Timeout of each call to Jenkins. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** One Jenkins user and its API token or password. */
    interface JenkinsCredentials {

        /** The Jenkins user name. */
        String user();

        /** The user's API token: basic auth, no crumb needed. */
        Optional<String> apiToken();

        /** The user's password, when no API token is configured: basic auth plus crumb and session cookie. */
        Optional<String> password();
    }
}
