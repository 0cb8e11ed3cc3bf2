package dev.promoter.messaging.outgoing;

import java.time.Duration;

/**
 * How one kind of call is retried.
 *
 * @param maxAttempts how many failed attempts end a call as FAILED; 0 for no limit (tried until delivered)
 * @param firstWait   the wait after the first failed attempt; it doubles with every attempt
 * @param maxWait     the cap of that wait
 * @param supersede   whether a new call replaces the pending calls of the same key (only the newest matters)
 * @param claim       how long a sweeper holds a call it sends: longer than one attempt may take; null for the
 *                    service's {@code pipeline.outgoing.claim} (60 s)
 */
public record CallPolicy(int maxAttempts, Duration firstWait, Duration maxWait, boolean supersede, Duration claim) {

    public CallPolicy {
        if (maxAttempts < 0 || firstWait.isNegative() || maxWait.compareTo(firstWait) < 0) {
            throw new IllegalArgumentException("a call policy needs maxAttempts >= 0 and 0 <= firstWait <= maxWait");
        }
        if (claim != null && (claim.isNegative() || claim.isZero())) {
            throw new IllegalArgumentException("a call policy's claim is positive");
        }
    }

    /** A policy whose calls are held for the service's default claim. */
    public CallPolicy(int maxAttempts, Duration firstWait, Duration maxWait, boolean supersede) {
        this(maxAttempts, firstWait, maxWait, supersede, null);
    }

    /** The wait after the {@code attempts}-th failed attempt (1-based): firstWait, doubling, up to maxWait. */
    public Duration waitAfter(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        Duration wait = firstWait.multipliedBy(1L << doublings);
        return wait.compareTo(maxWait) > 0 || wait.isNegative() ? maxWait : wait;
    }

    public boolean limited() {
        return maxAttempts > 0;
    }
}
