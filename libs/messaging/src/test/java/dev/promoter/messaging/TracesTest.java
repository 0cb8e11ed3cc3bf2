package dev.promoter.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TracesTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aTraceparentReadsBackAsTheSameTraceparent() {
        Context context = Traces.parse(TRACEPARENT);
        SpanContext span = Span.fromContext(context).getSpanContext();
        assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.isRemote()).isTrue();
        assertThat(Traces.traceparent(context)).isEqualTo(TRACEPARENT);
    }

    @Test
    void noOrAMalformedTraceparentIsNoTrace() {
        assertThat(Traces.traceparent(Traces.parse(null))).isNull();
        assertThat(Traces.traceparent(Traces.parse("00-zz-00f067aa0ba902b7-01"))).isNull();
        assertThat(Traces.spanContextOf(null).isValid()).isFalse();
        assertThat(Traces.currentTraceparent()).isNull();
    }

    @Test
    void theLastTraceparentHeaderOfARecordIsItsParent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01".getBytes(StandardCharsets.UTF_8));
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        assertThat(Traces.traceparent(Traces.fromHeaders(headers))).isEqualTo(TRACEPARENT);
        assertThat(Traces.traceparent(Traces.fromHeaders(new RecordHeaders()))).isNull();
    }
}
