package dev.promoter.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How far the outbox relay is behind: unsent events and the age of the oldest one, read from the service's own
 * outbox table every few seconds ({@code pipeline_outbox_backlog}, {@code pipeline_outbox_oldest_unsent_seconds}).
 * An event older than a minute means Kafka is not taking what the service committed (alert PipelineOutboxStuck).
 */
@ApplicationScoped
public class OutboxGauges {

    private final Pool pool;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicReference<Double> oldest = new AtomicReference<>(0.0);

    OutboxGauges(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        Gauge.builder("pipeline.outbox.backlog", backlog, AtomicLong::get)
                .description("outbox events committed and not yet published").register(registry);
        Gauge.builder("pipeline.outbox.oldest.unsent", oldest, AtomicReference::get).baseUnit("seconds")
                .description("age of the oldest outbox event not yet published; 0 when none waits").register(registry);
    }

    @Scheduled(every = "${pipeline.outbox.gauge-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return pool.query("select count(*) as waiting,"
                        + " coalesce(extract(epoch from now() - min(created_at)), 0) as oldest"
                        + " from outbox_event where sent_at is null")
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    backlog.set(row.getLong("waiting"));
                    oldest.set(row.getNumeric("oldest").doubleValue());
                })
                .replaceWithVoid()
                // A database outage shows in the health checks; the gauges keep their last reading meanwhile.
                .onFailure().recoverWithNull();
    }
}
