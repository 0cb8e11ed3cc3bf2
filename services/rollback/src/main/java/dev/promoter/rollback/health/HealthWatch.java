package dev.promoter.rollback.health;

import dev.promoter.contracts.HealthCheckPolicy;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, from the probe results of one deployment in a stage, whether it is healthy or unhealthy: results
 * inside the grace period after the promotion do not count; {@code failureThreshold} counted failures in a
 * row make it UNHEALTHY; {@code successThreshold} counted successes in a row make it HEALTHY, once. A success
 * resets the failures in a row, so a blip below the threshold changes nothing. Not thread-safe: one watch is
 * fed from one place.
 */
public final class HealthWatch {

    /** At most this many failures are quoted as evidence, however high the threshold. */
    static final int MAX_EVIDENCE = 10;

    private final HealthCheckPolicy policy;
    private final Instant graceEndsAt;
    private final Deque<String> failuresInRow = new ArrayDeque<>();
    private HealthPhase phase;
    private int failureCount;
    private int successCount;

    private HealthWatch(HealthCheckPolicy policy, Instant promotedAt, HealthPhase phase) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.graceEndsAt = Objects.requireNonNull(promotedAt, "promotedAt").plus(policy.gracePeriod());
        this.phase = phase;
    }

    /** A watch of a deployment just promoted (or rolled back to) at {@code promotedAt}. */
    public static HealthWatch of(HealthCheckPolicy policy, Instant promotedAt) {
        return new HealthWatch(policy, promotedAt, HealthPhase.WATCHING);
    }

    /**
     * A watch resumed after a restart: {@code alreadyHealthy} when the deployment was marked healthy before,
     * so it is not marked again.
     */
    public static HealthWatch resume(HealthCheckPolicy policy, Instant promotedAt, boolean alreadyHealthy) {
        return new HealthWatch(policy, promotedAt, alreadyHealthy ? HealthPhase.HEALTHY : HealthPhase.WATCHING);
    }

    public HealthPhase phase() {
        return phase;
    }

    public Instant graceEndsAt() {
        return graceEndsAt;
    }

    /** Whether a probe sent at {@code at} falls inside the grace period, where it does not count. */
    public boolean inGrace(Instant at) {
        return at.isBefore(graceEndsAt);
    }

    /**
     * Takes one probe result into account and returns the verdict it completes, if any: HEALTHY at most once,
     * UNHEALTHY once, after which the watch is over and ignores further results. {@code now} is when the
     * verdict is reached.
     */
    public Optional<HealthVerdict> record(ProbeResult result, Instant now) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(now, "now");
        if (phase.isTerminal() || inGrace(result.at())) {
            return Optional.empty();
        }
        if (result.success()) {
            failureCount = 0;
            failuresInRow.clear();
            successCount++;
            if (phase == HealthPhase.WATCHING && successCount >= policy.successThreshold()) {
                return Optional.of(moveTo(HealthPhase.HEALTHY, now, "healthy: " + inRow(successCount, "probe")
                        + " of " + describe(policy.url()) + " succeeded", result.evidence()));
            }
            return Optional.empty();
        }
        successCount = 0;
        failureCount++;
        failuresInRow.addLast(result.evidence());
        while (failuresInRow.size() > Math.min(policy.failureThreshold(), MAX_EVIDENCE)) {
            failuresInRow.removeFirst();
        }
        if (failureCount >= policy.failureThreshold()) {
            return Optional.of(moveTo(HealthPhase.UNHEALTHY, now, "health check failed: "
                    + inRow(failureCount, "probe") + " of " + describe(policy.url()) + " failed", String.join(", ", failuresInRow)));
        }
        return Optional.empty();
    }

    private HealthVerdict moveTo(HealthPhase next, Instant now, String reason, String evidence) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("a health watch cannot move from " + phase + " to " + next);
        }
        phase = next;
        return new HealthVerdict(next, now, reason, evidence);
    }

    /** The URL as logs, events and the history show it: without credentials or query, which may hold secrets. */
    public static String describe(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static String inRow(int count, String noun) {
        return count == 1 ? "1 " + noun : count + " " + noun + "s in a row";
    }
}
