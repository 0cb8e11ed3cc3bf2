package dev.promoter.kit.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.kit.slack.SlackWebApi.PostedMessage;
import dev.promoter.testinfra.SlackStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Slack client against a loopback stand-in that answers as Slack's Web API documents. */
class SlackWebApiTest {

    private static final String TOKEN = "xoxb-test-1234";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackStandIn slack = SlackStandIn.start(TOKEN);

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void postsAndUpdatesAMessageWithTheBotToken() {
        SlackWebApi api = client(Optional.of(TOKEN));
        ArrayNode blocks = JSON.createArrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", "*cart* v2");

        PostedMessage posted = api.postMessage("#releases", "cart v2 waits for approval", blocks)
                .toCompletableFuture().join();
        api.update(posted, "cart v2 approved by alice", null).toCompletableFuture().join();

        assertThat(posted.channel()).isEqualTo(slack.channelId("#releases"));
        assertThat(slack.messages("#releases")).singleElement().satisfies(message -> {
            assertThat(message.text()).isEqualTo("cart v2 approved by alice");
            assertThat(message.blocks()).isEmpty();
        });
        assertThat(slack.calls("chat.postMessage").get(0).body().at("/blocks/0/text/text").asText())
                .isEqualTo("*cart* v2");
    }

    @Test
    void aRefusalNamesSlacksErrorAndNotTheToken() {
        SlackWebApi api = client(Optional.of("xoxb-wrong"));

        assertThatThrownBy(() -> api.postMessage("C0RELEASES", "hello", null).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(SlackApiException.class)
                .hasMessage("Slack chat.postMessage failed: invalid_auth")
                .hasMessageNotContaining("xoxb");
    }

    @Test
    void okFalseWithHttp200IsAFailure() {
        SlackWebApi api = client(Optional.of(TOKEN));
        slack.failNextCallWith("channel_is_archived");

        assertThatThrownBy(() -> api.postMessage("C0RELEASES", "hello", null).toCompletableFuture().join())
                .cause().isInstanceOf(SlackApiException.class)
                .satisfies(e -> assertThat(((SlackApiException) e).error()).isEqualTo("channel_is_archived"));
    }

    @Test
    void withoutATokenNothingIsSent() {
        SlackWebApi api = client(Optional.empty());

        assertThat(api.configured()).isFalse();
        assertThatThrownBy(() -> api.postMessage("C0RELEASES", "hello", null).toCompletableFuture().join())
                .cause().hasMessage("Slack chat.postMessage failed: not_configured");
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void respondsOnlyToResponseUrlsOfTheConfiguredPrefix() {
        SlackWebApi api = client(Optional.of(TOKEN));
        ObjectNode reply = JSON.createObjectNode().put("response_type", "ephemeral")
                .put("text", "You wrote this commit, so someone else has to approve it.");

        api.respond(slack.newResponseUrl(), reply).toCompletableFuture().join();

        assertThat(slack.calls("response_url")).singleElement()
                .satisfies(call -> assertThat(call.body().path("response_type").asText()).isEqualTo("ephemeral"));
        assertThatThrownBy(() -> api.respond(URI.create("http://127.0.0.1:1/elsewhere"), reply)
                .toCompletableFuture().join())
                .cause().hasMessageContaining("response_url outside " + slack.responseUrlPrefix());
    }

    private SlackWebApi client(Optional<String> token) {
        return new SlackWebApi(slack.apiUrl(), token, slack.responseUrlPrefix(), HttpClient.newHttpClient(),
                Duration.ofSeconds(3));
    }
}
