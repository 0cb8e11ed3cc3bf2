package dev.promoter.rollback.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.CloudEventAttributes;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.PipelineEvent;
import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.messaging.outgoing.NewCall;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import dev.promoter.messaging.outgoing.SlackNotices;
import dev.promoter.rollback.history.Stage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Queues the calls the rollback service owes about a stage, in the caller's transaction, on the library's durable
 * outgoing calls: the stage's deploy hook after every move of its tag ({@link DeployHooks} sends it), and a Slack notice
 * of what happened ({@link SlackNotices}). Per stage, each kind goes out in order.
 */
@ApplicationScoped
public class StageCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackWebApi slack;
    private final OutgoingCalls calls;

    StageCalls(SlackWebApi slack, OutgoingCalls calls) {
        this.slack = slack;
        this.calls = calls;
    }

    /**
     * Queues the stage's deploy hook for a move of its tag, carrying the move's CDEvent as a structured-mode
     * CloudEvent; nothing when the stage has no hook. Needs a transaction.
     */
    public Uni<Void> deployHook(Stage stage, PipelineEvent event, EventContext context, String digest) {
        if (stage.deployHookUrl == null) {
            return Uni.createFrom().voidItem();
        }
        return calls.enqueue(new NewCall(DeployHooks.KIND, key(stage), stage.application, stage.stage, digest,
                stage.deployHookUrl, stage.deployHookSecret, structuredCloudEvent(event, context)));
    }

    /** Queues a Slack notice to the stage's channel; nothing when it has none or Slack is not configured. */
    public Uni<Void> slack(Stage stage, String digest, String text) {
        if (stage.slackChannel == null || !slack.configured()) {
            return Uni.createFrom().voidItem();
        }
        return calls.enqueue(SlackNotices.post(key(stage), stage.application, stage.stage, digest, stage.slackChannel,
                text));
    }

    /** Calls about one stage go out in order: their key. */
    private static String key(Stage stage) {
        return stage.application + "/" + stage.stage;
    }

    /** The CloudEvents 1.0 JSON event format: the attributes, and the full CDEvent as {@code data}. */
    static String structuredCloudEvent(PipelineEvent event, EventContext context) {
        CloudEventAttributes attributes = CdEventCodec.cloudEventAttributes(event, context);
        try {
            JsonNode data = JSON.readTree(CdEventCodec.encode(event, context));
            ObjectNode envelope = JSON.createObjectNode()
                    .put("specversion", CloudEventAttributes.SPEC_VERSION)
                    .put("id", attributes.id())
                    .put("source", attributes.source().toString())
                    .put("type", attributes.type())
                    .put("subject", attributes.subject())
                    .put("time", attributes.time().toString())
                    .put("datacontenttype", attributes.dataContentType())
                    .put("partitionkey", attributes.partitionKey());
            envelope.set("data", data);
            return JSON.writeValueAsString(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
