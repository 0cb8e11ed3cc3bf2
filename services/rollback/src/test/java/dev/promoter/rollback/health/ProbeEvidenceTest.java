package dev.promoter.rollback.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ProbeEvidenceTest {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    @Test
    void aTimeoutSaysHowLongItWaited() {
        assertThat(HealthProber.describe(new CompletionException(new HttpTimeoutException("request timed out")), TIMEOUT))
                .isEqualTo("timeout after 100 ms");
        assertThat(HealthProber.describe(new TimeoutException(), TIMEOUT)).isEqualTo("timeout after 100 ms");
        assertThat(HealthProber.describe(new HttpConnectTimeoutException("connect"), TIMEOUT))
                .isEqualTo("timeout after 100 ms");
    }

    @Test
    void aRefusedConnectionIsNamed() {
        assertThat(HealthProber.describe(new CompletionException(new ConnectException()), TIMEOUT))
                .isEqualTo("connection refused");
        ConnectException wrapped = new ConnectException();
        wrapped.initCause(new ConnectException("Connection refused"));
        assertThat(HealthProber.describe(wrapped, TIMEOUT)).isEqualTo("connection refused");
        assertThat(HealthProber.describe(new ConnectException("No route to host"), TIMEOUT))
                .isEqualTo("connection failed: No route to host");
    }

    @Test
    void anyOtherErrorKeepsItsKindAndMessage() {
        assertThat(HealthProber.describe(new CompletionException(new IOException("connection reset")), TIMEOUT))
                .isEqualTo("IOException: connection reset");
    }
}
