package dev.promoter.messaging.outgoing;

import java.time.Instant;

/**
 * Where a pending call stands after one more attempt: delivered, FAILED (refused for good, or its own attempt limit ran
 * out), or due again after the policy's back-off (or the receiver's Retry-After). Outages only delay a call: without
 * an attempt limit it stays PENDING until delivered. Plain Java.
 */
public record AfterAttempt(CallPhase status, int attempts, Instant nextAttemptAt, Instant finishedAt, String logLine) {

    public static AfterAttempt of(int attemptsBefore, CallPolicy policy, Attempt attempt, Instant at) {
        int attempts = attemptsBefore + 1;
        String line = "attempt " + attempts + " at " + at + ": " + attempt.outcome();
        if (attempt.delivered()) {
            return new AfterAttempt(CallPhase.SUCCEEDED, attempts, at, at, line);
        }
        if (attempt.kind() == Attempt.Kind.REFUSED || policy.limited() && attempts >= policy.maxAttempts()) {
            return new AfterAttempt(CallPhase.FAILED, attempts, at, at, line);
        }
        Instant next = at.plus(attempt.retryAfter().orElseGet(() -> policy.waitAfter(attempts)));
        return new AfterAttempt(CallPhase.PENDING, attempts, next, null, line);
    }
}
