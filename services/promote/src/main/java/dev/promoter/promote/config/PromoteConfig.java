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
     * Bearer tokens of callers allowed to change pipeline definitions, by caller name
     * ({@code promote.api-tokens.<caller>}); from the environment only.
     */
    Map<String, String> apiTokens();

    /** Stage gates. */
    Gates gates();

    /** The Slack approval bot. */
    Slack slack();

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

        /** How often owed Slack messages are sent (and failed ones retried, with backoff). */
        @WithDefault("1s")
        Duration sendInterval();
    }
}
