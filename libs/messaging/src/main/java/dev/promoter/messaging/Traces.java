package dev.promoter.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.MDC;

/**
 * The pipeline's own spans around an artifact's journey: each continues the trace of the call that started the
 * journey (kept as a W3C traceparent in the outbox, the Kafka headers and the services' records), carries the
 * application, stage and digest, and is current while its work runs, so logs and the events it writes carry it.
 */
@ApplicationScoped
public class Traces {

    public static final AttributeKey<String> APPLICATION = AttributeKey.stringKey("promoter.application");
    public static final AttributeKey<String> STAGE = AttributeKey.stringKey("promoter.stage");
    public static final AttributeKey<String> DIGEST = AttributeKey.stringKey("promoter.digest");
    public static final AttributeKey<String> REPOSITORY = AttributeKey.stringKey("promoter.repository");
    /** Names what a span link stands for, e.g. {@code undoes} on a rollback's link to the promotion. */
    public static final AttributeKey<String> LINK = AttributeKey.stringKey("promoter.link");
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    Traces(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.promoter.pipeline");
    }

    /** The W3C traceparent of the current span; null when there is none (tracing is off, or nothing traced). */
    public static String currentTraceparent() {
        return traceparent(Context.current());
    }

    /** The W3C traceparent of the context's span; null when it holds no valid span. */
    public static String traceparent(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** The remote context a W3C traceparent names; the root context for null or a malformed value. */
    public static Context parse(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
    }

    /** The remote context of a Kafka record's last {@code traceparent} header; the root context without one. */
    public static Context fromHeaders(Headers headers) {
        Header last = headers == null ? null : headers.lastHeader(TRACEPARENT);
        return last == null || last.value() == null ? Context.root()
                : parse(new String(last.value(), StandardCharsets.UTF_8));
    }

    /** The span context a traceparent names, for a span link; invalid for null. */
    public static SpanContext spanContextOf(String traceparent) {
        return Span.fromContext(parse(traceparent)).getSpanContext();
    }

    /** Starts describing a span named {@code name}; {@link Step#run} starts it. */
    public Step step(String name) {
        return new Step(name);
    }

    /** One span being described: kind, parent, attributes, links; then {@link #run} wraps the work in it. */
    public final class Step {

        private final String name;
        private SpanKind kind = SpanKind.INTERNAL;
        private Context parent;
        private final AttributesBuilder attributes = Attributes.builder();
        private final List<SpanContext> links = new ArrayList<>();
        private final List<Attributes> linkAttributes = new ArrayList<>();
        private String application;
        private String stage;

        private Step(String name) {
            this.name = name;
        }

        public Step kind(SpanKind spanKind) {
            this.kind = spanKind;
            return this;
        }

        /** The parent; without one, the current context at the time the work runs. */
        public Step parent(Context context) {
            this.parent = context;
            return this;
        }

        public Step application(String value) {
            this.application = value;
            return attribute(APPLICATION, value);
        }

        public Step stage(String value) {
            this.stage = value;
            return attribute(STAGE, value);
        }

        public Step digest(String value) {
            return attribute(DIGEST, value);
        }

        public <T> Step attribute(AttributeKey<T> key, T value) {
            if (value != null) {
                attributes.put(key, value);
            }
            return this;
        }

        /** A link to another span (ignored when invalid), with {@code promoter.link} saying what it is. */
        public Step link(SpanContext context, String meaning) {
            if (context != null && context.isValid()) {
                links.add(context);
                linkAttributes.add(Attributes.of(LINK, meaning));
            }
            return this;
        }

        /**
         * Runs the work inside the span: the span is current (and the application and stage are in the log MDC)
         * from subscription until the work ends, and records a failure as an error.
         */
        public <T> Uni<T> run(Supplier<Uni<T>> work) {
            return Uni.createFrom().deferred(() -> {
                Context parentContext = parent != null ? parent : Context.current();
                SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind).setParent(parentContext)
                        .setAllAttributes(attributes.build());
                for (int i = 0; i < links.size(); i++) {
                    builder.addLink(links.get(i), linkAttributes.get(i));
                }
                Span span = builder.startSpan();
                Scope scope = parentContext.with(span).makeCurrent();
                Object previousApplication = MDC.get("application");
                Object previousStage = MDC.get("stage");
                putMdc("application", application);
                putMdc("stage", stage);
                Runnable end = () -> {
                    restoreMdc("application", previousApplication);
                    restoreMdc("stage", previousStage);
                    scope.close();
                    span.end();
                };
                Uni<T> running;
                try {
                    running = work.get();
                } catch (RuntimeException e) {
                    failed(span, e);
                    end.run();
                    throw e;
                }
                return running.onTermination().invoke((item, failure, cancelled) -> {
                    if (failure != null) {
                        failed(span, failure);
                    }
                    end.run();
                });
            });
        }
    }

    private static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }

    private static void putMdc(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private static void restoreMdc(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
