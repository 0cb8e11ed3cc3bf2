package dev.promoter.rollback.rollback;

import dev.promoter.rollback.health.Contexts;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.history.WatchedStages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/** On start, probes again every stage the database says must be probed, so a restart keeps watching. */
@ApplicationScoped
public class WatchingAtStartup {

    private static final Logger LOG = Logger.getLogger(WatchingAtStartup.class);

    private final Vertx vertx;
    private final WatchedStages watchedStages;
    private final HealthProber prober;

    WatchingAtStartup(Vertx vertx, WatchedStages watchedStages, HealthProber prober) {
        this.vertx = vertx;
        this.watchedStages = watchedStages;
        this.prober = prober;
    }

    void onStart(@Observes StartupEvent event) {
        resume().subscribe().with(count -> LOG.infof("probing %d stage(s) recorded before this start", count),
                failure -> LOG.errorf("could not read the stages to probe at start: %s; they are probed again after"
                        + " their next promotion", failure.toString()));
    }

    /** Watches every recorded stage that must be probed; returns how many. */
    public Uni<Integer> resume() {
        return Contexts.onFreshContext(vertx, () -> Panache.withSession(watchedStages::all))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(10)
                .map(all -> {
                    all.forEach(prober::watch);
                    return all.size();
                });
    }
}
