package dev.promoter.messaging;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Topic;
import dev.promoter.contracts.UnknownEventTypeException;
import dev.promoter.contracts.UnreadableEventException;
import dev.promoter.kit.health.DependencyWaits;
import dev.promoter.kit.health.Failures;
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
 * The one way a service applies an incoming event: decode it, skip types it does not know (on purpose, counted),
 * dead-letter what it can never apply, and apply the rest exactly once through the inbox, in one transaction with
 * whatever the change writes to the outbox.
 *
 * <p>A transient failure (a dependency down: see {@link Failures}) is never a dead letter: the record is kept and
 * tried again with back-off up to 30 s for as long as the outage lasts. The channel handles one record at a time, so
 * the records after it wait and each application's order is kept; SmallRye keeps polling meanwhile and pauses the
 * partitions whose queue is full, so the consumer stays in its group.
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);
    /** Tries of a failure nobody classified (a bug, a refusal nobody foresaw) before it is set aside. */
    static final int UNKNOWN_FAILURE_ATTEMPTS = 8;
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
    private final DependencyWaits waits;
    private final Traces traces;

    IncomingEvents(Transactions transactions, Inbox inbox, DeadLetters deadLetters, TopicNames topics,
                   MeterRegistry registry, DependencyWaits waits, Traces traces) {
        this.traces = traces;
        this.transactions = transactions;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.topics = topics;
        this.registry = registry;
        this.waits = waits;
    }

    /**
     * Applies the record's event with {@code change} unless {@code consumer} applied it before. A change the domain
     * rejects as invalid ({@link IllegalArgumentException}) is dead-lettered at once; a transient failure waits and
     * tries again until it succeeds; any other failure is tried {@value #UNKNOWN_FAILURE_ATTEMPTS} times, then
     * dead-lettered with the reason. A replayed dead letter ({@link ReplayedRecord}) is tried once and its outcome
     * recorded in the same transaction.
     */
    public Uni<Void> apply(String consumer, Topic topic, ConsumerRecord<String, byte[]> record,
                           Function<DecodedEvent, Uni<Void>> change) {
        if (record instanceof ReplayedRecord replay) {
            return replay(consumer, replay, change);
        }
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
            decoded = CdEventCodec.decode(valueOf(record));
        } catch (UnknownEventTypeException e) {
            skipped(e, record);
            return Uni.createFrom().voidItem();
        } catch (UnreadableEventException e) {
            return deadLetters.send(new DeadLetters.Letter(consumer, deadLetterTopic, record, null,
                    "unreadable event: " + e.reason(), 1));
        }
        Span.current().setAttribute(MESSAGING_MESSAGE_ID, decoded.context().id());
        return attempt(consumer, deadLetterTopic, record, decoded, change, new Tries());
    }

    /** Counts tries of one record: all of them, and those whose failure nobody classified. */
    private static final class Tries {
        int all;
        int unknown;
        String waitingFor;
    }

    private Uni<Void> attempt(String consumer, String deadLetterTopic, ConsumerRecord<String, byte[]> record,
                              DecodedEvent decoded, Function<DecodedEvent, Uni<Void>> change, Tries tries) {
        tries.all++;
        return applyOnce(consumer, decoded, change)
                .invoke(() -> {
                    if (tries.waitingFor != null) {
                        waits.answered(tries.waitingFor);
                        LOG.infof("%s-%d@%d applied after %d tries: the %s answers again", record.topic(),
                                record.partition(), record.offset(), tries.all, tries.waitingFor);
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    Failures.Classified kind = Failures.classify(failure);
                    if (kind.isTransient()) {
                        String dependency = kind.dependency().orElse(Failures.NETWORK);
                        Duration wait = Backoff.transientWait(tries.all);
                        tries.waitingFor = dependency;
                        waits.waiting(dependency, wait, String.valueOf(failure.getMessage()));
                        LOG.warnf("%s-%d@%d waits %d ms for the %s (try %d): %s", record.topic(), record.partition(),
                                record.offset(), wait.toMillis(), dependency, tries.all, failure.getMessage());
                        return Delay.of(wait).chain(() -> attempt(consumer, deadLetterTopic, record, decoded, change, tries));
                    }
                    if (kind.kind() == Failures.Kind.UNKNOWN && ++tries.unknown < UNKNOWN_FAILURE_ATTEMPTS) {
                        return Delay.of(Backoff.unknownWait(tries.unknown))
                                .chain(() -> attempt(consumer, deadLetterTopic, record, decoded, change, tries));
                    }
                    String why = kind.kind() == Failures.Kind.PERMANENT ? "rejected: " : "could not be applied: ";
                    return deadLetters.send(new DeadLetters.Letter(consumer, deadLetterTopic, record, decoded,
                            why + failure.getMessage(), tries.all));
                });
    }

    /** One transaction: the inbox row, then the change. True when the change ran (first delivery). */
    private Uni<Boolean> applyOnce(String consumer, DecodedEvent decoded, Function<DecodedEvent, Uni<Void>> change) {
        return transactions.inTransaction(() -> inbox.firstDelivery(consumer, decoded.context().id())
                .chain(first -> first ? change.apply(decoded).replaceWith(true) : Uni.createFrom().item(false)));
    }

    private Uni<Void> replay(String consumer, ReplayedRecord replay, Function<DecodedEvent, Uni<Void>> change) {
        DecodedEvent decoded;
        try {
            decoded = CdEventCodec.decode(valueOf(replay));
        } catch (UnknownEventTypeException e) {
            skipped(e, replay);
            return transactions.inTransaction(() -> deadLetters.markReplayed(replay, ReplayedRecord.Outcome.SKIPPED));
        } catch (UnreadableEventException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("unreadable event: " + e.reason()));
        }
        return transactions.inTransaction(() -> inbox.firstDelivery(consumer, decoded.context().id())
                .chain(first -> first
                        ? change.apply(decoded).chain(() -> deadLetters.markReplayed(replay, ReplayedRecord.Outcome.APPLIED))
                        : deadLetters.markReplayed(replay, ReplayedRecord.Outcome.ALREADY_APPLIED)));
    }

    private void skipped(UnknownEventTypeException e, ConsumerRecord<String, byte[]> record) {
        registry.counter("pipeline.events.skipped", "type", e.type()).increment();
        LOG.debugf("skipping event of unknown type %s on %s", e.type(), record.topic());
    }

    private static byte[] valueOf(ConsumerRecord<String, byte[]> record) {
        return record.value() == null ? new byte[0] : record.value();
    }
}
