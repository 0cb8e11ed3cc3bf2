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
     * Bearer tokens of the callers of this service's API, by caller name
     * ({@code rollback.api-tokens.<caller>}, environment {@code ROLLBACK_API_TOKENS_<CALLER>}); from the environment
     * only. The caller's name is recorded as the actor.
     */
    Map<String, String> apiTokens();

    /**
     * Roles of those callers, comma-separated ({@code rollback.api-roles.<caller>=operator}, environment
     * {@code ROLLBACK_API_ROLES_<CALLER>}); a caller without roles is refused everything. See docs/security.md.
     */
    Map<String, String> apiRoles();

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

    /**
     * Secrets that sign deploy hooks, by the name a stage's {@code deployHook.secret} gives
     * ({@code rollback.deploy-hook-secrets.<name>}, environment {@code ROLLBACK_DEPLOY_HOOK_SECRETS_<NAME>}); from the
     * environment only.
     */
    Map<String, String> deployHookSecrets();

    /** Delivery of deploy hooks and Slack notices. */
    Outgoing outgoing();

    /** How deploy hooks and Slack notices are delivered and retried. */
    interface Outgoing {

        /** How often the queue of outgoing calls is swept (it is also swept at once when a call is queued). */
        @WithDefault("1s")
        Duration sweepInterval();

        /** Longest wait for one call's answer. */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts before a call is given up on (and kept as FAILED, with every attempt's outcome). */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the second attempt; doubles with every attempt. */
        @WithDefault("1s")
        Duration retryBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("5m")
        Duration maxRetryBackoff();
    }

    /** Drift of stage tags: a tag moved behind the pipeline's back. */
    DriftChecks drift();

    /** How often stage tags are compared with the recorded current digests, and when a mismatch counts. */
    interface DriftChecks {

        /** How often every stage's tag is checked (each is also checked right after a promotion). */
        @WithDefault("30s")
        Duration checkInterval();

        /**
         * How long a mismatch must last, seen by two checks, before it is drift: longer than a promotion event takes
         * from promote to this service.
         */
        @WithDefault("10s")
        Duration confirmAfter();
    }

    /** How the replicas of the service share the probing of stages (docs/rollback.md, "Several replicas"). */
    Ownership ownership();

    /** Probing and drift checks follow the promotions partitions a replica owns. */
    interface Ownership {

        /**
         * How often a replica reads the stages it owns from the database anew, besides after every rebalance: picks up a
         * move of one of its stages that another replica made (a manual rollback or an alert answered there).
         */
        @WithDefault("5s")
        Duration resyncInterval();
    }
}
