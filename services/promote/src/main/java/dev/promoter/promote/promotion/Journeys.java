package dev.promoter.promote.promotion;

import dev.promoter.promote.artifact.ReceivedArtifacts;
import dev.promoter.messaging.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The trace of an artifact's journey, kept from the event that announced the artifact, so every gate decision and
 * move of the digest joins that one trace, whatever triggered it (a suite result, an approval, the gate timer).
 */
@ApplicationScoped
public class Journeys {

    private final ReceivedArtifacts artifacts;
    private final Traces traces;

    Journeys(ReceivedArtifacts artifacts, Traces traces) {
        this.artifacts = artifacts;
        this.traces = traces;
    }

    /**
     * A span about the digest in the stage, in the journey's trace. When the work was started by a call of another
     * trace (a person's approval, a timer, a suite result reported from outside), that call is linked to the span.
     */
    public Uni<Traces.Step> step(String name, String application, String stage, String digest) {
        return artifacts.find(application, digest).map(artifact -> {
            Traces.Step step = traces.step(name).application(application).stage(stage).digest(digest);
            String journey = artifact == null ? null : artifact.traceparent;
            SpanContext journeyContext = Traces.spanContextOf(journey);
            SpanContext current = Span.current().getSpanContext();
            if (journeyContext.isValid() && !journeyContext.getTraceId().equals(current.getTraceId())) {
                step.parent(Traces.parse(journey)).link(current, "triggered-by");
            }
            return step;
        });
    }
}
