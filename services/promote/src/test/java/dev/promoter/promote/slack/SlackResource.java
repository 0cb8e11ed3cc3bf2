package dev.promoter.promote.slack;

import dev.promoter.testinfra.SlackStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A Slack stand-in for the test class, and the promote settings that point at it. */
public class SlackResource implements QuarkusTestResourceLifecycleManager {

    static final String BOT_TOKEN = "xoxb-stand-in";
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static volatile SlackStandIn slack;

    @Override
    public Map<String, String> start() {
        slack = SlackStandIn.start(BOT_TOKEN);
        return Map.of(
                "pipeline.slack.api-url", slack.apiUrl().toString(),
                "pipeline.slack.bot-token", BOT_TOKEN,
                "pipeline.slack.response-url-prefix", slack.responseUrlPrefix(),
                "promote.slack.signing-secret", SIGNING_SECRET);
    }

    @Override
    public void stop() {
        if (slack != null) {
            slack.close();
        }
    }
}
