package dev.promoter.rollback.outgoing;

import dev.promoter.testinfra.SlackStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the rollback service at a Slack stand-in on loopback, with a bot token. */
public class SlackTestResource implements QuarkusTestResourceLifecycleManager {

    static final String BOT_TOKEN = "xoxb-stand-in";
    static SlackStandIn slack;

    @Override
    public Map<String, String> start() {
        slack = SlackStandIn.start(BOT_TOKEN);
        return Map.of("pipeline.slack.api-url", slack.apiUrl().toString(), "pipeline.slack.bot-token", BOT_TOKEN);
    }

    @Override
    public void stop() {
        if (slack != null) {
            slack.close();
        }
    }
}
