package dev.promoter.promote.definition;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** How a stage's running service is probed, and how many probes make a digest healthy or unhealthy there. */
public record HealthCheckDefinition(
        URI url,
        Duration interval,
        Duration timeout,
        int failureThreshold,
        int successThreshold,
        Duration gracePeriod) {

    public HealthCheckDefinition {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
    }
}
