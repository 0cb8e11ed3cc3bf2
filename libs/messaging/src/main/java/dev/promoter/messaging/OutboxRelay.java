package dev.promoter.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox events to Kafka in the order they were written, and stamps each one
 * sent once Kafka acknowledged it. Woken after every commit; a sweep catches what a crash left.
 * Delivery is at least once: consumers drop duplicates through their {@link Inbox}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };
    private static final int BATCH = 500;
    private static final Duration KAFKA_ACK_TIMEOUT = Duration.ofSeconds(15);

    private final Pool pool;
    private final MutinyEmitter<byte[]> emitter;
    /** One relay per service at a time keeps each application's events in order across replicas. */
    private final String service;
    private final Counter relayed;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    OutboxRelay(Pool pool, @Channel("outbox") MutinyEmitter<byte[]> emitter, MeterRegistry registry,
                @ConfigProperty(name = "quarkus.application.name") String service) {
        this.pool = pool;
        this.emitter = emitter;
        this.service = service;
        this.relayed = Counter.builder("pipeline.outbox.relayed")
                .description("events published from the outbox").register(registry);
    }

    /** Asks for a drain; cheap and safe to call from any thread, any number of times. */
    public void wakeUp() {
        again.set(true);
        if (draining.compareAndSet(false, true)) {
            again.set(false);
            drainOnce().subscribe().with(this::drained, this::failed);
        }
    }

    @Scheduled(every = "${pipeline.outbox.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        wakeUp();
    }

    private void drained(int sent) {
        draining.set(false);
        if (sent == BATCH || again.get()) {
            wakeUp();
        }
    }

    private void failed(Throwable failure) {
        draining.set(false);
        LOG.warnf("outbox relay could not publish, will retry at the next sweep: %s", failure.getMessage());
    }

    /** Publishes one batch; returns how many events left. */
    Uni<Integer> drainOnce() {
        return pool.withTransaction(connection -> connection
                // Keyed by service: services sharing a database must not wait for each other's relay.
                .preparedQuery("select pg_try_advisory_xact_lock(hashtext('outbox'), hashtext($1))")
                .execute(Tuple.of(service))
                .chain(lock -> lock.iterator().next().getBoolean(0) ? publishBatch(connection) : Uni.createFrom().item(0)));
    }

    private Uni<Integer> publishBatch(SqlConnection connection) {
        return connection.preparedQuery("select id, topic, record_key, payload, headers, traceparent from outbox_event"
                        + " where sent_at is null order by id limit $1")
                .execute(Tuple.of(BATCH))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        sends.add(send(row));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .ifNoItem().after(KAFKA_ACK_TIMEOUT).fail()
                            .chain(() -> connection.preparedQuery("update outbox_event set sent_at = now() where id = any($1)")
                                    .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .invoke(() -> relayed.increment(ids.size()))
                            .replaceWith(ids.size());
                });
    }

    private Uni<Void> send(Row row) {
        RecordHeaders headers = new RecordHeaders();
        readHeaders(row.getString("headers"))
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.getString("topic"))
                .withKey(row.getString("record_key"))
                .withHeaders(headers)
                .build();
        byte[] payload = row.getBuffer("payload").getBytes();
        Message<byte[]> message = Message.of(payload).addMetadata(metadata);
        String traceparent = row.getString("traceparent");
        if (traceparent != null) {
            // The connector's publish span continues the stored trace and puts its own traceparent in the headers.
            message = message.addMetadata(TracingMetadata.withCurrent(Traces.parse(traceparent)));
        }
        return emitter.sendMessage(message);
    }

    private static Map<String, String> readHeaders(String json) {
        try {
            return JSON.readValue(json, HEADERS);
        } catch (IOException e) {
            throw new UncheckedIOException("outbox headers are not a JSON object of strings", e);
        }
    }
}
