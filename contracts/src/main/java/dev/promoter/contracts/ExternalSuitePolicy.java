package dev.promoter.contracts;

import java.time.Duration;
import java.util.Set;

/**
 * Where the result of an {@code external} suite comes from, and how long the test service waits for it.
 *
 * @param source   {@code junit} (JUnit XML posted to the test service) or {@code cdevents} (a
 *                 {@code testsuiterun.finished} CDEvent posted to it)
 * @param deadline how long after the artifact entered the stage the result may come; past it the suite fails
 *                 with the reason "timed out"
 */
public record ExternalSuitePolicy(String source, Duration deadline) {

    public static final String JUNIT = "junit";
    public static final String CDEVENTS = "cdevents";

    public ExternalSuitePolicy {
        Require.text(source, "source");
        if (!Set.of(JUNIT, CDEVENTS).contains(source)) {
            throw new IllegalArgumentException("source must be junit or cdevents, got " + Require.quote(source));
        }
        Require.present(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero() || deadline.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("deadline must be more than 0, in whole milliseconds, got " + deadline);
        }
    }
}
