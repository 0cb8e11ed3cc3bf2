package dev.promoter.kit.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which dependencies work is waiting for right now, and for how long it waited in all: a consumer or a durable queue
 * that keeps its work through an outage says so here. Readiness names what is down; the timer
 * {@code pipeline.dependency.wait} (tag {@code dependency}) adds up the time spent waiting.
 */
@ApplicationScoped
public class DependencyWaits {

    /** Since when a dependency has been failing, and the last thing it answered. */
    public record Outage(Instant since, String lastFailure) {
    }

    private final Map<String, Outage> outages = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();

    DependencyWaits(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Work is about to wait {@code wait} for {@code dependency}, which just failed with {@code failure}. */
    public void waiting(String dependency, Duration wait, String failure) {
        outages.compute(dependency, (name, known) -> new Outage(known == null ? clock.instant() : known.since(),
                failure == null ? "" : failure));
        Timer.builder("pipeline.dependency.wait")
                .description("time work spent waiting for a dependency that could not be reached")
                .tag("dependency", dependency)
                .register(registry)
                .record(wait);
    }

    /** The dependency answered again. */
    public void answered(String dependency) {
        outages.remove(dependency);
    }

    /** The dependencies work waits for now, by name. */
    public Map<String, Outage> outages() {
        return new TreeMap<>(outages);
    }
}
