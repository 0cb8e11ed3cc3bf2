package dev.promoter.promote.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.kit.slack.SlackApiException;
import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.messaging.outgoing.Attempt;
import dev.promoter.messaging.outgoing.CallPolicy;
import dev.promoter.messaging.outgoing.CallSender;
import dev.promoter.messaging.outgoing.NewCall;
import dev.promoter.messaging.outgoing.OutgoingCall;
import dev.promoter.messaging.outgoing.SlackNotices;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Delivers a promotion request's Slack message, an outgoing call of kind {@code slack-approval} keyed by the request:
 * the first delivered call posts it ({@code chat.postMessage}) and the request keeps the channel and ts Slack answers
 * with (in the transaction that records the attempt); every later one updates that message ({@code chat.update}). A
 * newer call supersedes the pending ones of its request (only the request's latest state matters), so the calls of one
 * request go out in order and at most one waits. An outage or a rate limit only delays a message (no attempt limit);
 * a refusal a retry will not change (an unknown channel, a bot not in it) ends it FAILED, listed for a retry.
 */
@ApplicationScoped
public class ApprovalMessageSender implements CallSender {

    public static final String KIND = "slack-approval";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackWebApi slack;
    private final Pool pool;
    private final CallPolicy policy;

    ApprovalMessageSender(SlackWebApi slack, Pool pool,
                          @ConfigProperty(name = "promote.slack.first-wait", defaultValue = "2s") Duration firstWait,
                          @ConfigProperty(name = "promote.slack.max-wait", defaultValue = "5m") Duration maxWait) {
        this.slack = slack;
        this.pool = pool;
        this.policy = new CallPolicy(0, firstWait, maxWait, true);
    }

    /** The call that brings the request's message up to {@code text} and {@code blocks}. */
    static NewCall message(long requestId, String application, String stage, String digest, String channel,
                           String text, JsonNode blocks) {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", text);
        body.set("blocks", blocks);
        return new NewCall(KIND, key(requestId), application, stage, digest, channel, null, body.toString());
    }

    static String key(long requestId) {
        return "request/" + requestId;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CallPolicy policy() {
        return policy;
    }

    @Override
    public Uni<Attempt> send(OutgoingCall call) {
        if (!slack.configured()) {
            return Uni.createFrom().item(Attempt.unavailable("not sent: no Slack bot token (PIPELINE_SLACK_BOT_TOKEN)"));
        }
        JsonNode body = read(call.body());
        String text = body.path("text").asText();
        JsonNode blocks = body.get("blocks");
        return pool.preparedQuery("select slack_channel, slack_ts from promotion_request where id = $1")
                .execute(Tuple.of(requestId(call)))
                .chain(rows -> {
                    var row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    String ts = row == null ? null : row.getString("slack_ts");
                    if (ts == null) {
                        return Uni.createFrom().completionStage(() -> slack.postMessage(call.target(), text, blocks))
                                .map(posted -> Attempt.delivered("posted to " + posted.channel() + " at " + posted.ts(),
                                        posted.channel() + " " + posted.ts()));
                    }
                    SlackWebApi.PostedMessage posted = new SlackWebApi.PostedMessage(row.getString("slack_channel"), ts);
                    return Uni.createFrom().completionStage(() -> slack.update(posted, text, blocks))
                            .map(updated -> Attempt.delivered("updated " + updated.channel() + " at " + updated.ts(),
                                    updated.channel() + " " + updated.ts()));
                })
                .onFailure(SlackApiException.class).recoverWithItem(failure ->
                        SlackNotices.attemptOf((SlackApiException) failure));
    }

    /** The request keeps where its message is, so that the next call updates it rather than posting another. */
    @Override
    public Uni<Void> recorded(SqlConnection transaction, OutgoingCall after, Attempt attempt) {
        if (!attempt.delivered() || attempt.result() == null) {
            return Uni.createFrom().voidItem();
        }
        String[] channelAndTs = attempt.result().split(" ", 2);
        return transaction.preparedQuery("update promotion_request set slack_channel = $2, slack_ts = $3 where id = $1")
                .execute(Tuple.of(requestId(after), channelAndTs[0], channelAndTs[1]))
                .replaceWithVoid();
    }

    private static long requestId(OutgoingCall call) {
        return Long.parseLong(call.key().substring("request/".length()));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored approval message is JSON", e);
        }
    }
}
