package dev.promoter.rollback.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A decision about the deployment a stage runs: it became healthy, or it is unhealthy and the stage must
 * move away from it.
 *
 * @param phase    {@link HealthPhase#HEALTHY} or {@link HealthPhase#UNHEALTHY}
 * @param at       the moment the verdict was reached (rollback reaction time counts from here)
 * @param reason   one line for people, e.g. {@code health check failed: 3 probes in a row of http://… failed}
 * @param evidence the probe results that decided it, newest last, e.g. {@code HTTP 503, HTTP 503, timeout after 100 ms}
 */
public record HealthVerdict(HealthPhase phase, Instant at, String reason, String evidence) {

    public HealthVerdict {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(evidence, "evidence");
        if (phase == HealthPhase.WATCHING) {
            throw new IllegalArgumentException("a verdict is HEALTHY or UNHEALTHY, not WATCHING");
        }
    }
}
