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

    /** How often pending suites are looked at. */
    interface Pending {

        /** The time between sweeps for due HTTP smoke checks and passed deadlines. */
        @WithDefault("1s")
        Duration sweepInterval();
    }
}
