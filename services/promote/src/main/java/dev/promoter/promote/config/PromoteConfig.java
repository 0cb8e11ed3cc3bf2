package dev.promoter.promote.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the promote service. */
@ConfigMapping(prefix = "promote")
public interface PromoteConfig {

    /** Folder of pipeline definitions (*.yaml) loaded at start; a bad file stops the start. */
    Optional<Path> definitionsDir();

    /**
     * Bearer tokens of the callers of this service's API, by caller name
     * ({@code promote.api-tokens.<caller>}); from the environment only.
     */
    Map<String, String> apiTokens();

    /**
     * Roles of those callers, comma-separated ({@code promote.api-roles.<caller>=releaser,approver}, environment
     * {@code PROMOTE_API_ROLES_<CALLER>}); a caller without roles is refused everything. See docs/security.md.
     */
    Map<String, String> apiRoles();

    /** Stage gates. */
    Gates gates();

    /** The Slack approval bot. */
    Slack slack();

    /** The rollback service, for manual rollbacks asked for on the dashboard. */
    Rollback rollback();

    /** The rollback service's API as the dashboard calls it. */
    interface Rollback {
        /** Its base URL. */
        @WithDefault("http://127.0.0.1:8084")
        String url();

        /**
         * Promote's bearer token at the rollback service (PROMOTE_ROLLBACK_TOKEN; the rollback service knows it as
         * one of its ROLLBACK_API_TOKENS_&lt;CALLER&gt;). Without it the dashboard offers no rollback button.
         */
        Optional<String> token();
    }

    /** DORA figures. */
    Dora dora();

    /** DORA figures ({@code GET /api/v1/applications/{app}/dora} and the {@code pipeline_dora_*} gauges). */
    interface Dora {
        /** How often the {@code pipeline_dora_*} gauges are computed again (30-day window). */
        @WithDefault("60s")
        Duration refreshInterval();
    }

    /** Stage gates. */
    interface Gates {
        /** How often open promotion requests are looked at again for what time alone changes. */
        @WithDefault("1s")
        Duration recheckInterval();
    }

    /** The Slack approval bot; posting uses {@code pipeline.slack.*}. */
    interface Slack {
        /**
         * The Slack app's signing secret, which checks {@code X-Slack-Signature} on {@code POST /slack/interactions};
         * from the environment only (PROMOTE_SLACK_SIGNING_SECRET). Without it every interaction is refused.
         */
        Optional<String> signingSecret();

        /**
         * Slack user ids allowed to stop and resume the line with {@code /promoter} (the operator role in Slack),
         * comma-separated; without any, the slash command refuses everyone.
         */
        Optional<java.util.List<String>> operators();

        /** How often owed Slack messages are sent (and failed ones retried, with backoff). */
        @WithDefault("1s")
        Duration sendInterval();
    }
}
