package dev.promoter.messaging.outgoing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AfterAttemptTest {

    private static final Instant AT = Instant.parse("2026-12-07T21:00:00Z");
    private static final CallPolicy LIMITED = new CallPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), false);
    private static final CallPolicy UNLIMITED = new CallPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(30), false);

    @Test
    void aDeliveredAttemptEndsTheCall() {
        AfterAttempt after = AfterAttempt.of(1, LIMITED, Attempt.delivered("HTTP 204"), AT);
        assertThat(after.status()).isEqualTo(CallPhase.SUCCEEDED);
        assertThat(after.attempts()).isEqualTo(2);
        assertThat(after.finishedAt()).isEqualTo(AT);
        assertThat(after.logLine()).isEqualTo("attempt 2 at 2026-12-07T21:00:00Z: HTTP 204");
    }

    @Test
    void anOutageDelaysTheCallWithACappedDoublingWait() {
        assertThat(AfterAttempt.of(0, LIMITED, Attempt.unavailable("HTTP 503"), AT).nextAttemptAt())
                .isEqualTo(AT.plusSeconds(1));
        assertThat(AfterAttempt.of(1, LIMITED, Attempt.unavailable("HTTP 503"), AT).nextAttemptAt())
                .isEqualTo(AT.plusSeconds(2));
        AfterAttempt later = AfterAttempt.of(40, UNLIMITED, Attempt.unavailable("connection refused"), AT);
        assertThat(later.status()).as("no attempt limit: an outage never ends the call").isEqualTo(CallPhase.PENDING);
        assertThat(later.nextAttemptAt()).isEqualTo(AT.plusSeconds(30));
    }

    @Test
    void theReceiversRetryAfterIsHonoured() {
        AfterAttempt after = AfterAttempt.of(0, LIMITED, Attempt.unavailable("ratelimited", Duration.ofSeconds(42)), AT);
        assertThat(after.status()).isEqualTo(CallPhase.PENDING);
        assertThat(after.nextAttemptAt()).isEqualTo(AT.plusSeconds(42));
    }

    @Test
    void onlyItsOwnAttemptLimitOrARefusalEndsACallAsFailed() {
        assertThat(AfterAttempt.of(1, LIMITED, Attempt.unavailable("HTTP 503"), AT).status()).isEqualTo(CallPhase.PENDING);
        assertThat(AfterAttempt.of(2, LIMITED, Attempt.unavailable("HTTP 503"), AT).status()).isEqualTo(CallPhase.FAILED);
        AfterAttempt refused = AfterAttempt.of(0, UNLIMITED, Attempt.refused("HTTP 404: no such job"), AT);
        assertThat(refused.status()).isEqualTo(CallPhase.FAILED);
        assertThat(refused.finishedAt()).isEqualTo(AT);
    }
}
