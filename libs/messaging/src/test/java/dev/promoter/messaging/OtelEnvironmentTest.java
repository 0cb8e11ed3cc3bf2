package dev.promoter.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelEnvironmentTest {

    private static Map<String, String> read(Map<String, String> environment, Map<String, String> properties) {
        return OtelEnvironment.read(environment::get, properties::get);
    }

    @Test
    void tracingStaysOffWithoutAnEndpoint() {
        assertThat(read(Map.of(), Map.of())).containsExactly(Map.entry("quarkus.otel.sdk.disabled", "true"));
    }

    @Test
    void standardVariablesTurnTracingOnAndConfigureTheExporter() {
        Map<String, String> read = read(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_SERVICE_NAME", "promote-eu"), Map.of());
        assertThat(read).containsEntry("quarkus.otel.sdk.disabled", "false")
                .containsEntry("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318")
                .containsEntry("quarkus.otel.exporter.otlp.protocol", "http/protobuf")
                .containsEntry("quarkus.otel.service.name", "promote-eu");
    }

    @Test
    void aTracesEndpointInQuarkusTermsCountsToo() {
        assertThat(read(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4317"), Map.of()))
                .containsEntry("quarkus.otel.sdk.disabled", "false");
        assertThat(read(Map.of(), Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317")))
                .containsEntry("quarkus.otel.sdk.disabled", "false");
    }

    @Test
    void anExplicitSdkDisabledWins() {
        assertThat(read(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SDK_DISABLED", "true"),
                Map.of())).containsEntry("quarkus.otel.sdk.disabled", "true");
    }
}
