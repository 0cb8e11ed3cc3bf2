package dev.promoter.rollback.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.CloudEventAttributes;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.PipelineEvent;
import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.rollback.history.Stage;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Queues the calls the rollback service owes about a stage, in the caller's transaction: the stage's deploy hook after
 * every move of its tag, and a Slack notice of what happened. The {@link OutgoingCallSweeper} delivers them.
 */
@ApplicationScoped
public class OutgoingCalls implements PanacheRepository<OutgoingCall> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackWebApi slack;
    private final OutgoingCallSweeper sweeper;

    OutgoingCalls(SlackWebApi slack, OutgoingCallSweeper sweeper) {
        this.slack = slack;
        this.sweeper = sweeper;
    }

    /**
     * Queues the stage's deploy hook for a move of its tag, carrying the move's CDEvent as a structured-mode
     * CloudEvent; nothing when the stage has no hook. Needs a transaction.
     */
    public Uni<Void> deployHook(Stage stage, PipelineEvent event, EventContext context, String digest) {
        if (stage.deployHookUrl == null) {
            return Uni.createFrom().voidItem();
        }
        OutgoingCall call = OutgoingCall.pending(OutgoingCall.DEPLOY_HOOK, stage.application, stage.stage, digest,
                stage.deployHookUrl, stage.deployHookSecret, structuredCloudEvent(event, context), Instant.now());
        return persist(call).invoke(sweeper::wakeSoon).replaceWithVoid();
    }

    /** Queues a Slack notice to the stage's channel; nothing when it has none or Slack is not configured. */
    public Uni<Void> slack(Stage stage, String digest, String text) {
        if (stage.slackChannel == null || !slack.configured()) {
            return Uni.createFrom().voidItem();
        }
        OutgoingCall call = OutgoingCall.pending(OutgoingCall.SLACK, stage.application, stage.stage, digest,
                stage.slackChannel, null, text, Instant.now());
        return persist(call).invoke(sweeper::wakeSoon).replaceWithVoid();
    }

    /** The stage's calls, newest first. Needs a session. */
    public Uni<List<OutgoingCall>> ofStage(String application, String stage) {
        return list("application = ?1 and stage = ?2 order by id desc", application, stage);
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
