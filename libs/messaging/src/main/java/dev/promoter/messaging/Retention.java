package dev.promoter.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the outbox and the inbox from growing forever: outbox rows sent, and inbox rows received, longer ago than
 * {@code pipeline.retention.period} (7 days by default) are deleted on a schedule, in batches of
 * {@value #BATCH} rows, each its own short transaction so pruning never holds locks for long. Unsent outbox rows are
 * never touched. Keep the period longer than the topics' retention: an event redelivered after its inbox row was
 * pruned would be applied again.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    static final int BATCH = 1000;
    /** At most this many batches per table and run; the next run goes on. */
    private static final int MAX_BATCHES = 100;

    private final Pool pool;
    private final Duration period;

    Retention(Pool pool, @ConfigProperty(name = "pipeline.retention.period", defaultValue = "7d") Duration period) {
        this.pool = pool;
        this.period = period;
    }

    @Scheduled(every = "${pipeline.retention.interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return prune().onFailure().recoverWithItem(failure -> {
            LOG.warnf("pruning the outbox and inbox failed, trying at the next run: %s", failure.getMessage());
            return 0L;
        }).replaceWithVoid();
    }

    /** Prunes both tables; answers how many rows went. */
    public Uni<Long> prune() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(period);
        return pruneTable("delete from outbox_event where id in (select id from outbox_event"
                + " where sent_at < $1 order by sent_at limit $2)", cutoff, 0, 0L)
                .chain(outbox -> pruneTable("delete from inbox where ctid in (select ctid from inbox"
                        + " where received_at < $1 limit $2)", cutoff, 0, 0L)
                        .map(inbox -> {
                            if (outbox + inbox > 0) {
                                LOG.infof("pruned %d sent outbox rows and %d inbox rows older than %s", outbox, inbox, period);
                            }
                            return outbox + inbox;
                        }));
    }

    private Uni<Long> pruneTable(String delete, OffsetDateTime cutoff, int batches, long pruned) {
        return pool.preparedQuery(delete).execute(Tuple.of(cutoff, BATCH)).chain(result -> {
            long total = pruned + result.rowCount();
            return result.rowCount() == BATCH && batches + 1 < MAX_BATCHES
                    ? pruneTable(delete, cutoff, batches + 1, total)
                    : Uni.createFrom().item(total);
        });
    }
}
