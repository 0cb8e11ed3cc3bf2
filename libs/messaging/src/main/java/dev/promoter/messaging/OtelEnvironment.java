package dev.promoter.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads OpenTelemetry's standard {@code OTEL_*} variables into Quarkus' {@code quarkus.otel.*} settings, and keeps
 * the SDK off (nothing traced, nothing exported) unless a trace endpoint is configured. Ranked just above
 * application.properties and below the environment, so {@code QUARKUS_OTEL_*} variables still win.
 */
public class OtelEnvironment implements ConfigSource {

    static final int ORDINAL = 260;
    private static final String[][] MAPPED = {
            {"OTEL_EXPORTER_OTLP_ENDPOINT", "quarkus.otel.exporter.otlp.endpoint"},
            {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "quarkus.otel.exporter.otlp.traces.endpoint"},
            {"OTEL_EXPORTER_OTLP_PROTOCOL", "quarkus.otel.exporter.otlp.protocol"},
            {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "quarkus.otel.exporter.otlp.traces.protocol"},
            {"OTEL_EXPORTER_OTLP_HEADERS", "quarkus.otel.exporter.otlp.headers"},
            {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "quarkus.otel.exporter.otlp.traces.headers"},
            {"OTEL_SERVICE_NAME", "quarkus.otel.service.name"},
            {"OTEL_RESOURCE_ATTRIBUTES", "quarkus.otel.resource.attributes"},
            {"OTEL_TRACES_SAMPLER_ARG", "quarkus.otel.traces.sampler.arg"},
            {"OTEL_SDK_DISABLED", "quarkus.otel.sdk.disabled"},
    };
    private static final String[] ENDPOINTS = {
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint",
    };

    private final Map<String, String> properties;

    public OtelEnvironment() {
        this(System::getenv, System::getProperty);
    }

    OtelEnvironment(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        this.properties = read(environment, systemProperties);
    }

    static Map<String, String> read(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        Map<String, String> read = new HashMap<>();
        for (String[] mapping : MAPPED) {
            String value = environment.apply(mapping[0]);
            if (value != null && !value.isBlank()) {
                read.put(mapping[1], value.trim());
            }
        }
        if (!read.containsKey("quarkus.otel.sdk.disabled")) {
            boolean endpoint = false;
            for (String name : ENDPOINTS) {
                String value = name.contains(".") ? systemProperties.apply(name) : environment.apply(name);
                endpoint |= value != null && !value.isBlank();
            }
            read.put("quarkus.otel.sdk.disabled", Boolean.toString(!endpoint));
        }
        return Map.copyOf(read);
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "OpenTelemetry environment (OTEL_*)";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
