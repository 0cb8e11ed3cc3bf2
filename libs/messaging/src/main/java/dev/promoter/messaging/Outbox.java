package dev.promoter.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.PipelineEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes an outgoing event into the outbox table of the current transaction, so the event exists
 * exactly when the state change it announces does. {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopicNames topics;
    private final URI source;
    private final Clock clock;

    Outbox(TopicNames topics, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.topics = topics;
        this.source = URI.create("/promoter/" + service);
        this.clock = Clock.systemUTC();
    }

    /**
     * Adds the event to the current transaction's outbox; must run inside one (see
     * {@link Transactions}). {@code chainId} is the correlation id of the artifact's journey.
     */
    public Uni<EventContext> append(PipelineEvent event, String chainId) {
        EventContext context = new EventContext(UUID.randomUUID().toString(), source, Instant.now(clock), chainId);
        byte[] payload = CdEventCodec.encode(event, context);
        String headers = headersJson(event, context);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "insert into outbox_event (event_id, topic, record_key, payload, headers, traceparent)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, context.id())
                .setParameter(2, topics.of(event.topic()))
                .setParameter(3, event.application())
                .setParameter(4, payload)
                .setParameter(5, headers)
                // The trace of the work that wrote it: the relay publishes the event in that trace.
                .setParameter(6, Traces.currentTraceparent())
                .executeUpdate())
                .replaceWith(context);
    }

    private static String headersJson(PipelineEvent event, EventContext context) {
        try {
            return JSON.writeValueAsString(CdEventCodec.cloudEventAttributes(event, context).kafkaHeaders());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CloudEvents headers must serialise", e);
        }
    }
}
