package dev.promoter.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waitsForADependencyDoubleFromHalfASecondUpToThirtySeconds() {
        assertThat(Backoff.transientWait(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(Backoff.transientWait(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.transientWait(6)).isEqualTo(Duration.ofSeconds(16));
        assertThat(Backoff.transientWait(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.transientWait(10_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void unclassifiedFailuresAreTriedQuicklyUpToFiveSecondsApart() {
        assertThat(Backoff.unknownWait(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(Backoff.unknownWait(7)).isEqualTo(Duration.ofSeconds(5));
    }
}
