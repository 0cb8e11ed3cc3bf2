package dev.promoter.test.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Settings of the test service. */
@ConfigMapping(prefix = "test")
public interface TestConfig {

    /**
     * Bearer tokens of the callers of this service's API, by caller name (e.g.
     * {@code test.api-tokens.jenkins}); from the environment only. None configured: every such call is refused.
     */
    Map<String, String> apiTokens();

    /**
     * Roles of those callers, comma-separated ({@code test.api-roles.jenkins=reporter}, environment
     * {@code TEST_API_ROLES_JENKINS}); a caller without roles is refused everything. See docs/security.md.
     */
    Map<String, String> apiRoles();

    /** The largest JUnit XML report taken, in bytes; a larger one is refused with 413 before it is parsed. */
    @WithDefault("5242880")
    int junitMaxBytes();

    /** Pending suites: HTTP smoke checks and external suites' deadlines. */
    Pending pending();

    /** How many suite runs go at once, and how many image-check inputs are kept. */
    Suites suites();

    /** Bounds of the suite runs of this replica (image checks and HTTP smoke checks; see docs/suites.md). */
    interface Suites {

        /** At most this many suite runs at once, over all stages. */
        @WithDefault("8")
        int concurrency();

        /** At most this many suite runs at once in one stage (by its name: every application's {@code test}, say). */
        @WithDefault("4")
        int concurrencyPerStage();

        /** How many inspected artifacts (manifest, configs and layer sizes, by digest) are kept for image checks. */
        @WithDefault("2000")
        int imageCacheSize();
    }

    /** How often pending suites are looked at. */
    interface Pending {

        /** The time between sweeps for due HTTP smoke checks and passed deadlines. */
        @WithDefault("1s")
        Duration sweepInterval();
    }
}
