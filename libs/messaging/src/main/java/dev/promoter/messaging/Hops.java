package dev.promoter.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The time per hop of an artifact's journey ({@code pipeline_hop_seconds{hop, stage}}), one histogram for every
 * service that ends a hop, with the same buckets, so the hops add up on one dashboard.
 */
public final class Hops {

    /** From a tenth of a second to a week: a hop takes milliseconds when nothing waits, days behind a gate. */
    public static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4),
            Duration.ofDays(1), Duration.ofDays(7)};

    private Hops() {
    }

    /** A histogram timer with the hops' buckets. */
    public static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
    }

    /** Records one hop into the stage. */
    public static void record(MeterRegistry registry, String hop, String stage, Duration took) {
        timer("pipeline.hop", "time per hop of an artifact's journey").tag("hop", hop).tag("stage", stage)
                .register(registry).record(took);
    }
}
