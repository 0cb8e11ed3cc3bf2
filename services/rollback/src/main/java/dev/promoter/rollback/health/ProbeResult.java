package dev.promoter.rollback.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One probe of a stage's health endpoint.
 *
 * @param at       when the probe was sent
 * @param success  whether it answered 2xx within the timeout
 * @param evidence what it showed, e.g. {@code HTTP 200}, {@code HTTP 503}, {@code timeout after 100 ms},
 *                 {@code connection refused}
 */
public record ProbeResult(Instant at, boolean success, String evidence) {

    public ProbeResult {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** The endpoint answered with {@code status}: 2xx is a success, anything else a failure. */
    public static ProbeResult answered(Instant at, int status) {
        return new ProbeResult(at, status >= 200 && status < 300, "HTTP " + status);
    }

    /** The endpoint did not answer: a timeout, a refused connection, any other error. */
    public static ProbeResult failed(Instant at, String evidence) {
        return new ProbeResult(at, false, evidence);
    }
}
