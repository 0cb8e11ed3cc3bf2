package dev.promoter.kit.health;

import dev.promoter.kit.health.DependencyWaits;
import dev.promoter.kit.health.Failures;
import dev.promoter.oci.RegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of what the service needs besides Kafka and the database (both have checks of their own): the registry
 * answers its {@code /v2/} endpoint (any answer below 500 counts, 401 included), and no work is waiting for a
 * dependency. DOWN names each dependency that is down and since when; work resumes by itself when it answers.
 */
@Readiness
@ApplicationScoped
public class DependenciesHealthCheck implements HealthCheck {

    static final String NAME = "Pipeline dependencies";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A probe answer is reused this long, so frequent readiness polls do not load the registry. */
    private static final Duration REUSE = Duration.ofSeconds(5);

    private final DependencyWaits waits;
    private final URI registryVersionCheck;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private volatile Probe lastProbe;

    private record Probe(Instant at, String failure) {
    }

    DependenciesHealthCheck(DependencyWaits waits, RegistryClient registry) {
        this.waits = waits;
        this.registryVersionCheck = registry.baseUri().resolve("/v2/");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @Override
    public HealthCheckResponse call() {
        // One entry per dependency that is down: what the probe found first, then the work waiting for it.
        Map<String, String> down = new LinkedHashMap<>();
        String registryFailure = probeRegistry();
        if (registryFailure != null) {
            down.put(Failures.REGISTRY, "unreachable: " + registryFailure);
        }
        waits.outages().forEach((dependency, outage) -> down.merge(dependency,
                "work waiting since " + outage.since() + ": " + outage.lastFailure(), (probed, waiting) -> probed
                        + "; " + waiting));
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(down.isEmpty());
        down.forEach(response::withData);
        return response.build();
    }

    private String probeRegistry() {
        Probe probe = lastProbe;
        Instant now = clock.instant();
        if (probe == null || probe.at().plus(REUSE).isBefore(now)) {
            probe = new Probe(now, askRegistry());
            lastProbe = probe;
        }
        return probe.failure();
    }

    private String askRegistry() {
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(registryVersionCheck).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() < 500 ? null : "answered " + answer.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
