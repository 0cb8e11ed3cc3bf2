package dev.promoter.messaging;

import java.time.Duration;

/** How long work waits before trying again: doubling from a first wait up to a cap. */
final class Backoff {

    /** The longest wait between two tries while a dependency is down. */
    static final Duration TRANSIENT_CAP = Duration.ofSeconds(30);
    private static final Duration TRANSIENT_FIRST = Duration.ofMillis(500);
    private static final Duration UNKNOWN_FIRST = Duration.ofMillis(100);
    private static final Duration UNKNOWN_CAP = Duration.ofSeconds(5);

    private Backoff() {
    }

    /** The wait after the {@code tries}-th failed try (1-based) of work waiting for a dependency: 0.5 s, 1 s, ... 30 s. */
    static Duration transientWait(int tries) {
        return doubling(TRANSIENT_FIRST, TRANSIENT_CAP, tries);
    }

    /** The wait after the {@code tries}-th failure nobody classified: 0.1 s, 0.2 s, ... 5 s. */
    static Duration unknownWait(int tries) {
        return doubling(UNKNOWN_FIRST, UNKNOWN_CAP, tries);
    }

    static Duration doubling(Duration first, Duration cap, int tries) {
        int doublings = Math.max(0, Math.min(tries - 1, 20));
        long millis = first.toMillis() << doublings;
        return millis >= cap.toMillis() ? cap : Duration.ofMillis(millis);
    }
}
