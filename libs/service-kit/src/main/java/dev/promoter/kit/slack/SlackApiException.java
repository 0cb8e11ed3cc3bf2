package dev.promoter.kit.slack;

import java.time.Duration;
import java.util.Optional;

/**
 * Slack refused or failed a call: {@code error} is Slack's own code ({@code channel_not_found}, {@code invalid_auth},
 * {@code ratelimited}, …) or {@code http_<status>}; the message never holds the token.
 */
public final class SlackApiException extends RuntimeException {

    private final String method;
    private final String error;
    private final Duration retryAfter;

    SlackApiException(String method, String error, Duration retryAfter) {
        super("Slack " + method + " failed: " + error
                + (retryAfter == null ? "" : "; retry after " + retryAfter.toSeconds() + " s"));
        this.method = method;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public String method() {
        return method;
    }

    public String error() {
        return error;
    }

    /** When Slack rate-limited the call (HTTP 429), how long it asked to wait. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
