package dev.promoter.messaging.outgoing;

import java.time.Duration;
import java.util.Optional;

/**
 * What one attempt at a call came to.
 *
 * @param kind       delivered, unavailable (try again later: outages, 5xx, timeouts) or refused (a retry will not change it)
 * @param outcome    what came back, in words for people (never a secret)
 * @param result     what the receiver answered that later calls of the same key need, or null
 * @param retryAfter the receiver's own wait before the next attempt (Slack's Retry-After), if it gave one
 */
public record Attempt(Kind kind, String outcome, String result, Optional<Duration> retryAfter) {

    public enum Kind { DELIVERED, UNAVAILABLE, REFUSED }

    public static Attempt delivered(String outcome) {
        return new Attempt(Kind.DELIVERED, outcome, null, Optional.empty());
    }

    public static Attempt delivered(String outcome, String result) {
        return new Attempt(Kind.DELIVERED, outcome, result, Optional.empty());
    }

    public static Attempt unavailable(String outcome) {
        return new Attempt(Kind.UNAVAILABLE, outcome, null, Optional.empty());
    }

    public static Attempt unavailable(String outcome, Duration retryAfter) {
        return new Attempt(Kind.UNAVAILABLE, outcome, null, Optional.of(retryAfter));
    }

    public static Attempt refused(String outcome) {
        return new Attempt(Kind.REFUSED, outcome, null, Optional.empty());
    }

    public boolean delivered() {
        return kind == Kind.DELIVERED;
    }
}
