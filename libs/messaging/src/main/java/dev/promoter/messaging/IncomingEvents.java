package dev.promoter.messaging;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Topic;
import dev.promoter.contracts.UnknownEventTypeException;
import dev.promoter.contracts.UnreadableEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The one way a service applies an incoming event: decode it, skip types it does not know (on
 * purpose, counted), dead-letter what it cannot read, and apply the rest exactly once through the
 * inbox, in one transaction with whatever the change writes to the outbox.
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);
    private static final int ATTEMPTS = 8;
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGING_OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> MESSAGING_CONSUMER_GROUP =
            AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<String> MESSAGING_PARTITION =
            AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> MESSAGING_KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

    private final Transactions transactions;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final TopicNames topics;
    private final MeterRegistry registry;
    private final Traces traces;

    IncomingEvents(Transactions transactions, Inbox inbox, DeadLetters deadLetters, TopicNames topics,
                   MeterRegistry registry, Traces traces) {
        this.traces = traces;
        this.transactions = transactions;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.topics = topics;
        this.registry = registry;
    }

    /**
     * Applies the record's event with {@code change} unless {@code consumer} applied it before. A
     * change that keeps failing is retried with back-off, then dead-lettered with the reason, so the
     * partition moves on and nothing is dropped silently. A change that rejects the event as invalid
     * (IllegalArgumentException) is dead-lettered at once.
     */
    public Uni<Void> apply(String consumer, Topic topic, ConsumerRecord<String, byte[]> record,
                           Function<DecodedEvent, Uni<Void>> change) {
        // OpenTelemetry's messaging conventions: a CONSUMER span "process <topic>" continuing the sender's trace.
        return traces.step("process " + record.topic())
                .kind(SpanKind.CONSUMER)
                .parent(Traces.fromHeaders(record.headers()))
                .attribute(MESSAGING_SYSTEM, "kafka")
                .attribute(MESSAGING_OPERATION_TYPE, "process")
                .attribute(MESSAGING_OPERATION_NAME, "process")
                .attribute(MESSAGING_DESTINATION, record.topic())
                .attribute(MESSAGING_CONSUMER_GROUP, consumer)
                .attribute(MESSAGING_PARTITION, Integer.toString(record.partition()))
                .attribute(MESSAGING_KAFKA_OFFSET, record.offset())
                .application(record.key())
                .run(() -> applyInSpan(consumer, topic, record, change));
    }

    private Uni<Void> applyInSpan(String consumer, Topic topic, ConsumerRecord<String, byte[]> record,
                                  Function<DecodedEvent, Uni<Void>> change) {
        String deadLetterTopic = topics.deadLetterOf(topic, consumer);
        DecodedEvent decoded;
        try {
            decoded = CdEventCodec.decode(record.value() == null ? new byte[0] : record.value());
        } catch (UnknownEventTypeException e) {
            registry.counter("pipeline.events.skipped", "type", e.type()).increment();
            LOG.debugf("skipping event of unknown type %s on %s", e.type(), record.topic());
            return Uni.createFrom().voidItem();
        } catch (UnreadableEventException e) {
            return deadLetters.send(deadLetterTopic, record, "unreadable event: " + e.reason());
        }
        Span.current().setAttribute(MESSAGING_MESSAGE_ID, decoded.context().id());
        return transactions.inTransaction(() -> inbox.firstDelivery(consumer, decoded.context().id())
                        .chain(first -> first ? change.apply(decoded) : Uni.createFrom().voidItem()))
                .onFailure(failure -> !(failure instanceof IllegalArgumentException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(ATTEMPTS)
                .onFailure().recoverWithUni(failure -> deadLetters.send(deadLetterTopic, record,
                        "could not be applied: " + failure.getMessage()));
    }
}
