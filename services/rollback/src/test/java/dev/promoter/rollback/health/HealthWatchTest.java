package dev.promoter.rollback.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.contracts.HealthCheckPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthWatchTest {

    private static final Instant PROMOTED = Instant.parse("2026-03-01T10:00:00Z");
    private static final URI URL = URI.create("http://127.0.0.1:18080/stages/prod/health");

    private static HealthCheckPolicy policy(int failureThreshold, int successThreshold, long graceMs) {
        return new HealthCheckPolicy(URL, Duration.ofMillis(200), Duration.ofMillis(100), failureThreshold,
                successThreshold, Duration.ofMillis(graceMs));
    }

    private static Instant at(long millisAfterPromotion) {
        return PROMOTED.plusMillis(millisAfterPromotion);
    }

    private static Optional<HealthVerdict> fail(HealthWatch watch, long at, String evidence) {
        return watch.record(ProbeResult.failed(at(at), evidence), at(at + 5));
    }

    private static Optional<HealthVerdict> ok(HealthWatch watch, long at) {
        return watch.record(ProbeResult.answered(at(at), 200), at(at + 5));
    }

    @Test
    void failuresInARowUpToTheThresholdMakeItUnhealthyWithTheirEvidence() {
        HealthWatch watch = HealthWatch.of(policy(3, 1, 0), PROMOTED);

        assertThat(fail(watch, 0, "HTTP 503")).isEmpty();
        assertThat(fail(watch, 200, "timeout after 100 ms")).isEmpty();
        HealthVerdict verdict = fail(watch, 400, "connection refused").orElseThrow();

        assertThat(verdict.phase()).isEqualTo(HealthPhase.UNHEALTHY);
        assertThat(verdict.at()).isEqualTo(at(405));
        assertThat(verdict.reason()).isEqualTo("health check failed: 3 probes in a row of " + URL + " failed");
        assertThat(verdict.evidence()).isEqualTo("HTTP 503, timeout after 100 ms, connection refused");
        assertThat(watch.phase()).isEqualTo(HealthPhase.UNHEALTHY);
    }

    @Test
    void aBlipBelowTheThresholdIsForgottenOnTheNextSuccess() {
        HealthWatch watch = HealthWatch.of(policy(3, 5, 0), PROMOTED);

        assertThat(fail(watch, 0, "HTTP 503")).isEmpty();
        assertThat(fail(watch, 200, "HTTP 503")).isEmpty();
        assertThat(ok(watch, 400)).isEmpty();
        assertThat(fail(watch, 600, "HTTP 503")).isEmpty();
        assertThat(fail(watch, 800, "HTTP 503")).isEmpty();

        assertThat(watch.phase()).isEqualTo(HealthPhase.WATCHING);
        HealthVerdict verdict = fail(watch, 1000, "HTTP 500").orElseThrow();
        assertThat(verdict.evidence()).as("only the failures of the current run are evidence")
                .isEqualTo("HTTP 503, HTTP 503, HTTP 500");
    }

    @Test
    void failuresInsideTheGracePeriodWaitForItToEnd() {
        HealthWatch watch = HealthWatch.of(policy(3, 1, 1000), PROMOTED);

        for (long t = 0; t < 1000; t += 200) {
            assertThat(fail(watch, t, "connection refused")).as("failure at %d ms, inside grace", t).isEmpty();
        }
        assertThat(watch.inGrace(at(999))).isTrue();
        assertThat(watch.inGrace(at(1000))).isFalse();
        assertThat(fail(watch, 1000, "HTTP 503")).isEmpty();
        assertThat(fail(watch, 1200, "HTTP 503")).isEmpty();
        HealthVerdict verdict = fail(watch, 1400, "HTTP 503").orElseThrow();

        assertThat(verdict.phase()).isEqualTo(HealthPhase.UNHEALTHY);
        assertThat(verdict.evidence()).doesNotContain("connection refused");
    }

    @Test
    void successesInsideTheGracePeriodDoNotMakeItHealthy() {
        HealthWatch watch = HealthWatch.of(policy(3, 1, 1000), PROMOTED);

        assertThat(ok(watch, 0)).isEmpty();
        assertThat(ok(watch, 800)).isEmpty();
        assertThat(watch.phase()).isEqualTo(HealthPhase.WATCHING);
        assertThat(ok(watch, 1000).map(HealthVerdict::phase)).contains(HealthPhase.HEALTHY);
    }

    @Test
    void successThresholdSuccessesInARowMarkItHealthyOnce() {
        HealthWatch watch = HealthWatch.of(policy(3, 2, 0), PROMOTED);

        assertThat(ok(watch, 0)).isEmpty();
        HealthVerdict verdict = ok(watch, 200).orElseThrow();
        assertThat(verdict.phase()).isEqualTo(HealthPhase.HEALTHY);
        assertThat(verdict.reason()).isEqualTo("healthy: 2 probes in a row of " + URL + " succeeded");
        assertThat(ok(watch, 400)).as("healthy is reported once").isEmpty();
        assertThat(fail(watch, 600, "HTTP 503")).isEmpty();
        assertThat(ok(watch, 800)).isEmpty();
        assertThat(ok(watch, 1000)).as("still healthy after a blip, not reported again").isEmpty();
        assertThat(watch.phase()).isEqualTo(HealthPhase.HEALTHY);
    }

    @Test
    void aFailureBetweenSuccessesRestartsTheCountToHealthy() {
        HealthWatch watch = HealthWatch.of(policy(3, 2, 0), PROMOTED);

        assertThat(ok(watch, 0)).isEmpty();
        assertThat(fail(watch, 200, "HTTP 503")).isEmpty();
        assertThat(ok(watch, 400)).isEmpty();
        assertThat(ok(watch, 600).map(HealthVerdict::phase)).contains(HealthPhase.HEALTHY);
    }

    @Test
    void aHealthyDeploymentThatStartsFailingBecomesUnhealthy() {
        HealthWatch watch = HealthWatch.of(policy(2, 1, 0), PROMOTED);

        assertThat(ok(watch, 0).map(HealthVerdict::phase)).contains(HealthPhase.HEALTHY);
        assertThat(fail(watch, 200, "HTTP 502")).isEmpty();
        assertThat(fail(watch, 400, "HTTP 502").map(HealthVerdict::phase)).contains(HealthPhase.UNHEALTHY);
    }

    @Test
    void anUnhealthyWatchIsOverAndIgnoresLaterResults() {
        HealthWatch watch = HealthWatch.of(policy(1, 1, 0), PROMOTED);

        assertThat(fail(watch, 0, "HTTP 503")).isPresent();
        assertThat(ok(watch, 200)).isEmpty();
        assertThat(fail(watch, 400, "HTTP 503")).isEmpty();
        assertThat(watch.phase()).isEqualTo(HealthPhase.UNHEALTHY);
        assertThat(watch.phase().isTerminal()).isTrue();
    }

    @Test
    void aResumedWatchOfAHealthyDeploymentDoesNotMarkItAgainButStillRollsItBack() {
        HealthWatch watch = HealthWatch.resume(policy(2, 1, 0), PROMOTED, true);

        assertThat(ok(watch, 0)).isEmpty();
        assertThat(fail(watch, 200, "HTTP 503")).isEmpty();
        assertThat(fail(watch, 400, "HTTP 503").map(HealthVerdict::phase)).contains(HealthPhase.UNHEALTHY);
    }

    @Test
    void quotesAtMostTenFailuresAsEvidence() {
        HealthWatch watch = HealthWatch.of(policy(12, 1, 0), PROMOTED);

        Optional<HealthVerdict> verdict = Optional.empty();
        for (int i = 1; i <= 12; i++) {
            verdict = fail(watch, i * 200L, "HTTP " + (500 + i));
        }
        assertThat(verdict.orElseThrow().evidence().split(", ")).hasSize(HealthWatch.MAX_EVIDENCE)
                .startsWith("HTTP 503").endsWith("HTTP 512");
        assertThat(verdict.orElseThrow().reason()).contains("12 probes in a row");
    }

    @Test
    void neverShowsCredentialsOrQueryOfTheUrl() {
        URI secret = URI.create("http://probe:s3cret@127.0.0.1:18080/health?token=abc");
        HealthWatch watch = HealthWatch.of(new HealthCheckPolicy(secret, Duration.ofMillis(200), Duration.ofMillis(100),
                1, 1, Duration.ZERO), PROMOTED);

        HealthVerdict verdict = fail(watch, 0, "HTTP 503").orElseThrow();

        assertThat(verdict.reason()).isEqualTo("health check failed: 1 probe of http://127.0.0.1:18080/health failed")
                .doesNotContain("s3cret").doesNotContain("abc");
    }

    @Test
    void phasesMoveOnlyForward() {
        assertThat(HealthPhase.WATCHING.canMoveTo(HealthPhase.HEALTHY)).isTrue();
        assertThat(HealthPhase.WATCHING.canMoveTo(HealthPhase.UNHEALTHY)).isTrue();
        assertThat(HealthPhase.HEALTHY.canMoveTo(HealthPhase.UNHEALTHY)).isTrue();
        assertThat(HealthPhase.HEALTHY.canMoveTo(HealthPhase.WATCHING)).isFalse();
        assertThat(HealthPhase.UNHEALTHY.canMoveTo(HealthPhase.HEALTHY)).isFalse();
        assertThat(HealthPhase.UNHEALTHY.canMoveTo(HealthPhase.WATCHING)).isFalse();
        assertThat(HealthPhase.WATCHING.isTerminal()).isFalse();
        assertThat(HealthPhase.HEALTHY.isTerminal()).isFalse();
    }

    @Test
    void probeResultsCountOnly2xxAsSuccess() {
        assertThat(ProbeResult.answered(PROMOTED, 200).success()).isTrue();
        assertThat(ProbeResult.answered(PROMOTED, 204).success()).isTrue();
        assertThat(ProbeResult.answered(PROMOTED, 301).success()).isFalse();
        assertThat(ProbeResult.answered(PROMOTED, 404).success()).isFalse();
        assertThat(ProbeResult.answered(PROMOTED, 503)).isEqualTo(new ProbeResult(PROMOTED, false, "HTTP 503"));
        assertThat(ProbeResult.failed(PROMOTED, "connection refused").success()).isFalse();
    }

    @Test
    void aVerdictIsNeverWatching() {
        assertThatThrownBy(() -> new HealthVerdict(HealthPhase.WATCHING, PROMOTED, "r", "e"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
