package dev.promoter.kit.slack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/**
 * How a service reaches Slack's Web API (environment: PIPELINE_SLACK_BOT_TOKEN, PIPELINE_SLACK_API_URL, ...). Without a
 * bot token nothing is posted, and callers record that Slack is not configured.
 */
@ConfigMapping(prefix = "pipeline.slack")
public interface SlackConfig {

    /** The Web API's base; a stand-in's on loopback in tests. */
    @WithDefault("https://slack.com/api")
    URI apiUrl();

    /** The bot token (xoxb-…) with the chat:write scope; from the environment only. */
    Optional<String> botToken();

    /**
     * The only place a {@code response_url} from an interaction payload may point to, so a payload can never make a
     * service call anywhere else.
     */
    @WithDefault("https://hooks.slack.com/")
    String responseUrlPrefix();
}
