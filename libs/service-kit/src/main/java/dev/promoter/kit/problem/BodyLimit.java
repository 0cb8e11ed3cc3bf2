package dev.promoter.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body over {@code quarkus.http.limits.max-body-size} as problem+json, from its {@code Content-Length} and
 * before a byte of it is read. Quarkus' own check does the same one route later (order -2) but answers 413 with an
 * empty body; this one runs first. A body sent without a length (chunked) that grows over the limit is cut off by
 * Quarkus while it is read; that 413 reaches {@link ProblemMappers} or the failure handler below, problem+json too.
 */
@ApplicationScoped
public class BodyLimit {

    /** Before Quarkus' own size check, which Vert.x routes at order -2. */
    static final int ORDER = -3;
    static final int CONTENT_TOO_LARGE = 413;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long limit;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER).failureHandler(this::failed);
    }

    void check(RoutingContext context) {
        long length = declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (length > limit) {
            refuse(context, "the body is " + length + " bytes; this endpoint takes at most " + limit
                    + " bytes. Nothing was read or changed");
            return;
        }
        context.next();
    }

    /** A body cut off while it was read (no {@code Content-Length}, or a longer body than it said). */
    void failed(RoutingContext context) {
        if (context.statusCode() == CONTENT_TOO_LARGE && !context.response().headWritten()) {
            refuse(context, "the body is over " + limit + " bytes, the most this endpoint takes. Nothing was changed");
            return;
        }
        context.next();
    }

    private static void refuse(RoutingContext context, String detail) {
        var response = context.response()
                .setStatusCode(CONTENT_TOO_LARGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (context.request().version() != HttpVersion.HTTP_2) {
            // The unread body would otherwise be taken for the next request on this connection.
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.endHandler(ignored -> context.request().connection().close());
        }
        response.end(body(detail));
    }

    static String body(String detail) {
        try {
            return JSON.writeValueAsString(new Problem("about:blank", "Content Too Large", CONTENT_TOO_LARGE, detail, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem must serialise", e);
        }
    }

    /** The declared length, or -1 when there is none or it is not a number (Vert.x refuses those itself). */
    static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
