package dev.promoter.rollback.ownership;

import dev.promoter.rollback.config.RollbackConfig;
import dev.promoter.messaging.Contexts;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.rollback.health.WatchedStages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Makes this replica probe exactly the stages of the applications whose promotions partition it owns, as the database
 * has them: after every rebalance (a replica joined, left or died), and every {@code rollback.ownership.resync-interval}
 * to pick up moves another replica made of a stage this one owns (a manual rollback, an alert, a lifted quarantine
 * answered there). A stage taken over starts a fresh count of failures in a row (docs/decisions.md); whether its
 * deployment was already found healthy comes from the database, so it is not announced again.
 */
@ApplicationScoped
public class StageTakeover {

    private static final Logger LOG = Logger.getLogger(StageTakeover.class);

    private final Vertx vertx;
    private final WatchedStages watchedStages;
    private final HealthProber prober;
    private final PromotionPartitions partitions;
    private final Duration resyncInterval;
    private volatile long timerId = -1;

    /** Public for the tests that run a second replica next to the service's own. */
    public StageTakeover(Vertx vertx, WatchedStages watchedStages, HealthProber prober, PromotionPartitions partitions,
                         RollbackConfig config) {
        this.vertx = vertx;
        this.watchedStages = watchedStages;
        this.prober = prober;
        this.partitions = partitions;
        this.resyncInterval = config.ownership().resyncInterval();
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(resyncInterval.toMillis(), id -> resync().subscribe().with(ignored -> { },
                failure -> LOG.warnf("could not read the stages to probe: %s; trying again in %d ms", failure.toString(),
                        resyncInterval.toMillis())));
    }

    @PreDestroy
    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /**
     * The consumer's partitions changed: stops probing what is no longer this replica's and takes over what became
     * its own from the database, retrying while the database cannot be read. Called on the consumer's thread; the work
     * runs elsewhere.
     */
    public void rebalanced() {
        Set<Integer> owned = new TreeSet<>(partitions.owned());
        long started = System.nanoTime();
        resync().onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(20)
                .subscribe().with(taken -> LOG.infof("owning promotions partitions %s: took over %d stage(s) from the"
                                + " database in %d ms, probing %d", owned, taken,
                                Duration.ofNanos(System.nanoTime() - started).toMillis(), prober.watching().size()),
                        failure -> LOG.errorf("could not read the stages of promotions partitions %s: %s; they are read"
                                + " again in %d ms", owned, failure.toString(), resyncInterval.toMillis()));
    }

    /**
     * Stops probing the stages of applications this replica does not own, and probes every stage of those it owns
     * that the database says must be probed; returns how many stages it started probing.
     */
    public Uni<Integer> resync() {
        prober.keepOnly(partitions::owns);
        return Contexts.onFreshContext(vertx, () -> Panache.withSession(() -> watchedStages.all(partitions::owns)))
                .map(all -> {
                    Set<String> before = prober.watching();
                    int taken = 0;
                    for (WatchedStage stage : all) {
                        prober.watch(stage);
                        if (!before.contains(stage.key()) && prober.watched(stage.application(), stage.stage())
                                .isPresent()) {
                            taken++;
                            LOG.infof("took over probing %s (%s) from the database", stage.key(), stage.digest());
                        }
                    }
                    // Owned when read, but maybe not any more: a rebalance while the database was read.
                    prober.keepOnly(partitions::owns);
                    return taken;
                });
    }
}
