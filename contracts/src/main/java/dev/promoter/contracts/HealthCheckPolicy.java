package dev.promoter.contracts;

import java.net.URI;
import java.time.Duration;

/**
 * How the rollback service probes a stage's health after a promotion, and when it calls the stage failed.
 *
 * @param url              the endpoint to GET; a 2xx answer within {@code timeout} is a success
 * @param interval         the time between probes
 * @param timeout          how long one probe may take, shorter than {@code interval} so probes never overlap
 * @param failureThreshold how many failures in a row fail the stage
 * @param successThreshold how many successes in a row make it healthy again
 * @param gracePeriod      how long after the promotion failures do not count yet; zero when they count at once
 */
public record HealthCheckPolicy(URI url, Duration interval, Duration timeout, int failureThreshold,
                                int successThreshold, Duration gracePeriod) {

    public HealthCheckPolicy {
        Require.httpUrl(url, "url");
        wholeMillis(interval, "interval");
        wholeMillis(timeout, "timeout");
        wholeMillis(gracePeriod, "gracePeriod");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be more than 0, got " + describe(interval));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be more than 0, got " + describe(timeout));
        }
        if (timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("timeout must be shorter than interval (" + describe(interval)
                    + "), got " + describe(timeout));
        }
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be 1 or more, got " + failureThreshold);
        }
        if (successThreshold < 1) {
            throw new IllegalArgumentException("successThreshold must be 1 or more, got " + successThreshold);
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must be 0 or more, got " + describe(gracePeriod));
        }
    }

    // The wire carries milliseconds; a finer duration would not survive the trip, and the record would not
    // equal itself after decoding.
    private static void wholeMillis(Duration value, String field) {
        Require.present(value, field);
        boolean fits;
        try {
            value.toMillis();
            fits = value.getNano() % 1_000_000 == 0;
        } catch (ArithmeticException e) {
            fits = false;
        }
        if (!fits) {
            throw new IllegalArgumentException(field + " must be a whole number of milliseconds that fits in a long,"
                    + " got " + value);
        }
    }

    private static String describe(Duration value) {
        return value.toMillis() + " ms";
    }
}
