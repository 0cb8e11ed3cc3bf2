package dev.promoter.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector stand-in on loopback: takes OTLP/HTTP protobuf trace exports on {@code /v1/traces}
 * (what the services send with {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}), decodes them with the
 * {@code opentelemetry-proto} classes and keeps every span for the test to read.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span, flattened: ids in lower-case hex as in a traceparent, attributes as strings. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                               String kind, Map<String, String> attributes, List<Link> links) {

        public String attribute(String key) {
            return attributes.get(key);
        }
    }

    /** A span link: the linked span and the link's attributes. */
    public record Link(String traceId, String spanId, Map<String, String> attributes) {
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final AtomicLong exports = new AtomicLong();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts listening on a free loopback port. */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", receiver::handle);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "otlp-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for OTLP on loopback", e);
        }
    }

    /** The base URL to give as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The variables that make a service export its spans here at once: OTLP over HTTP with protobuf, and a short
     * batch delay so a test sees a span within a fraction of a second.
     */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new java.util.HashMap<>(exporterEnvironment());
        environment.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        return Map.copyOf(environment);
    }

    /**
     * Only the standard variables a user sets to point a service at a collector (OTLP over HTTP with protobuf), every
     * other setting at its default: spans leave in batches every 5 s, as they would in production.
     */
    public Map<String, String> exporterEnvironment() {
        return Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Every span received of the trace. */
    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    /** How many export requests arrived. */
    public long exports() {
        return exports.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(bytes);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            keep(request);
            exports.incrementAndGet();
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    List<Link> links = new ArrayList<>();
                    for (Span.Link link : span.getLinksList()) {
                        links.add(new Link(hex(link.getTraceId().toByteArray()), hex(link.getSpanId().toByteArray()),
                                attributes(link.getAttributesList())));
                    }
                    spans.add(new ReceivedSpan(service, hex(span.getTraceId().toByteArray()),
                            hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()),
                            span.getName(), span.getKind().name(), attributes(span.getAttributesList()),
                            List.copyOf(links)));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        return values.stream().collect(Collectors.toUnmodifiableMap(KeyValue::getKey, kv -> text(kv.getValue()),
                (first, second) -> second));
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
