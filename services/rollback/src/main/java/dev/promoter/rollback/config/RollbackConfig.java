package dev.promoter.rollback.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the rollback service; how to probe each stage comes from its promotion events, not from here. */
@ConfigMapping(prefix = "rollback")
public interface RollbackConfig {

    /**
     * First wait before acting again on a verdict that could not be carried out (registry or database
     * unreachable); it doubles with every attempt.
     */
    @WithDefault("200ms")
    Duration retryBackoff();

    /** Longest wait between two such attempts; the service keeps trying while the stage still runs that digest. */
    @WithDefault("10s")
    Duration maxRetryBackoff();

    /**
     * Bearer tokens of the operators allowed to roll a stage back and to lift a quarantine, by caller name
     * ({@code rollback.api-tokens.<caller>}, environment {@code ROLLBACK_API_TOKENS_<CALLER>}); from the environment
     * only. The caller's name is recorded as the actor.
     */
    Map<String, String> apiTokens();

    /** The Alertmanager webhook, {@code POST /webhooks/alertmanager}. */
    Alertmanager alertmanager();

    /** How Alertmanager is let in and how its alerts name a stage. */
    interface Alertmanager {

        /**
         * Bearer token Alertmanager sends ({@code http_config.authorization.credentials}); from the environment only,
         * {@code ROLLBACK_ALERTMANAGER_TOKEN}. Without it every webhook call answers 401.
         */
        Optional<String> token();

        /** The alert label naming the application. */
        @WithDefault("application")
        String applicationLabel();

        /** The alert label naming the stage. */
        @WithDefault("stage")
        String stageLabel();
    }
}
