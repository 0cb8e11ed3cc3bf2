package dev.promoter.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.kit.health.DependencyWaits;
import dev.promoter.kit.health.Failures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sets aside a record its consumer can never apply as it is: a row in {@code dead_letter} (listed and replayed through
 * {@code /api/v1/dead-letters}) and the record itself, unchanged, on the consumer's dead-letter topic with the reason
 * and where it came from in headers (the names SmallRye's own dead-letter queue uses). Writing it waits out outages:
 * a dead letter is never dropped either.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, String>>> HEADERS = new TypeReference<>() { };
    private static final int MAX_REASON = 500;

    /** What to set aside: the record, what could be read of it, why, and after how many tries. */
    record Letter(String consumer, String deadLetterTopic, ConsumerRecord<String, byte[]> record, DecodedEvent decoded,
                  String reason, int attempts) {
    }

    /** A dead letter as stored. */
    public record Stored(long id, String consumer, String topic, int partition, long offset, String key, String eventId,
                         String eventType, String reason, int attempts, OffsetDateTime deadLetteredAt,
                         OffsetDateTime replayedAt, String replayedBy, byte[] payload, List<Header> headers) {
    }

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry registry;
    private final Pool pool;
    private final DependencyWaits waits;
    private final MultiGauge unreplayed;

    DeadLetters(@Channel("dead-letters") MutinyEmitter<byte[]> emitter, MeterRegistry registry, Pool pool,
                DependencyWaits waits) {
        this.emitter = emitter;
        this.registry = registry;
        this.pool = pool;
        this.waits = waits;
        this.unreplayed = MultiGauge.builder("pipeline.dead.letters.unreplayed")
                .description("dead letters nobody replayed yet, by the topic they came from")
                .register(registry);
    }

    /** Stores the dead letter and publishes it to the dead-letter topic; waits out outages of either. */
    Uni<Void> send(Letter letter) {
        ConsumerRecord<String, byte[]> record = letter.record();
        String reason = letter.reason().length() > MAX_REASON ? letter.reason().substring(0, MAX_REASON) : letter.reason();
        LOG.warnf("dead-lettering %s-%d@%d for %s after %d tries: %s", record.topic(), record.partition(), record.offset(),
                letter.consumer(), letter.attempts(), reason);
        return untilDone("storing a dead letter", () -> store(letter, reason))
                .chain(() -> untilDone("publishing a dead letter", () -> publish(letter, reason)))
                .invoke(() -> registry.counter("pipeline.events.dead.lettered", "topic", record.topic()).increment())
                .call(this::refreshGauge);
    }

    private Uni<Void> untilDone(String what, java.util.function.Supplier<Uni<Void>> work) {
        return untilDone(what, work, 1);
    }

    private Uni<Void> untilDone(String what, java.util.function.Supplier<Uni<Void>> work, int tries) {
        return Uni.createFrom().<Void>deferred(work::get).onFailure().recoverWithUni(failure -> {
            Duration wait = Backoff.transientWait(tries);
            String dependency = Failures.classify(failure).dependency().orElse(Failures.NETWORK);
            waits.waiting(dependency, wait, String.valueOf(failure.getMessage()));
            LOG.warnf("%s failed, trying again in %d ms: %s", what, wait.toMillis(), failure.getMessage());
            return Delay.of(wait).chain(() -> untilDone(what, work, tries + 1));
        });
    }

    private Uni<Void> store(Letter letter, String reason) {
        ConsumerRecord<String, byte[]> record = letter.record();
        DecodedEvent decoded = letter.decoded();
        Tuple values = Tuple.tuple()
                .addString(letter.consumer())
                .addString(record.topic())
                .addInteger(record.partition())
                .addLong(record.offset())
                .addString(record.key())
                .addString(decoded == null ? null : decoded.context().id())
                .addString(decoded == null ? null : decoded.event().getClass().getSimpleName())
                .addString(reason)
                .addInteger(letter.attempts())
                .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(valueOf(record)))
                .addString(headersJson(record.headers()));
        return pool.preparedQuery("insert into dead_letter (consumer, topic, record_partition, record_offset, record_key,"
                        + " event_id, event_type, reason, attempts, payload, headers)"
                        + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing")
                .execute(values)
                .replaceWithVoid();
    }

    private Uni<Void> publish(Letter letter, String reason) {
        ConsumerRecord<String, byte[]> record = letter.record();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(letter.deadLetterTopic())
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(valueOf(record)).addMetadata(metadata));
    }

    /** Newest first; {@code before} an id to read the next page. */
    public Uni<List<Stored>> list(int limit, Optional<Long> before) {
        return pool.preparedQuery("select * from dead_letter where id < $1 order by id desc limit $2")
                .execute(Tuple.of(before.orElse(Long.MAX_VALUE), limit))
                .map(rows -> {
                    List<Stored> letters = new ArrayList<>();
                    rows.forEach(row -> letters.add(stored(row)));
                    return letters;
                });
    }

    public Uni<Optional<Stored>> find(long id) {
        return pool.preparedQuery("select * from dead_letter where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(stored(rows.iterator().next())) : Optional.empty());
    }

    /**
     * Records the replay in the current transaction (the one that applied it); fails when someone else recorded a
     * replay of this dead letter meanwhile, which rolls the second application back.
     */
    Uni<Void> markReplayed(ReplayedRecord replay, ReplayedRecord.Outcome outcome) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "update dead_letter set replayed_at = now(), replayed_by = ?1 where id = ?2 and replayed_at is null")
                .setParameter(1, replay.replayedBy())
                .setParameter(2, replay.deadLetterId())
                .executeUpdate())
                .invoke(updated -> {
                    if (updated != 1) {
                        throw new AlreadyReplayedException(replay.deadLetterId());
                    }
                    replay.outcome(outcome);
                })
                .replaceWithVoid();
    }

    /** A replay of a dead letter that was replayed already. */
    static final class AlreadyReplayedException extends RuntimeException {
        AlreadyReplayedException(long id) {
            super("dead letter " + id + " was replayed already");
        }
    }

    @Scheduled(every = "${pipeline.dead-letters.gauge-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refreshGauge() {
        // Every topic that ever had a dead letter keeps its series: once all are replayed it reads 0, not nothing.
        return pool.query("select topic, count(*) filter (where replayed_at is null) as unreplayed from dead_letter"
                        + " group by topic")
                .execute()
                .invoke(rows -> {
                    List<MultiGauge.Row<?>> gauges = new ArrayList<>();
                    rows.forEach(row -> gauges.add(MultiGauge.Row.of(Tags.of("topic", row.getString("topic")),
                            row.getLong("unreplayed"))));
                    unreplayed.register(gauges, true);
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("could not count dead letters: %s", failure.getMessage());
                    return null;
                });
    }

    private static Stored stored(Row row) {
        return new Stored(row.getLong("id"), row.getString("consumer"), row.getString("topic"),
                row.getInteger("record_partition"), row.getLong("record_offset"), row.getString("record_key"),
                row.getString("event_id"), row.getString("event_type"), row.getString("reason"), row.getInteger("attempts"),
                row.getOffsetDateTime("dead_lettered_at"), row.getOffsetDateTime("replayed_at"), row.getString("replayed_by"),
                row.getBuffer("payload").getBytes(), readHeaders(row.getString("headers")));
    }

    private static String headersJson(Iterable<Header> headers) {
        List<Map<String, String>> list = new ArrayList<>();
        for (Header header : headers) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("name", header.key());
            entry.put("value", header.value() == null ? null : Base64.getEncoder().encodeToString(header.value()));
            list.add(entry);
        }
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("headers must serialise", e);
        }
    }

    private static List<Header> readHeaders(String json) {
        try {
            List<Header> headers = new ArrayList<>();
            for (Map<String, String> entry : JSON.readValue(json, HEADERS)) {
                String value = entry.get("value");
                headers.add(new RecordHeader(entry.get("name"), value == null ? null : Base64.getDecoder().decode(value)));
            }
            return headers;
        } catch (IOException e) {
            throw new UncheckedIOException("dead letter headers are not the JSON this library writes", e);
        }
    }

    private static byte[] valueOf(ConsumerRecord<String, byte[]> record) {
        return record.value() == null ? new byte[0] : record.value();
    }
}
