package dev.promoter.kit.auth;

import dev.promoter.kit.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /q/metrics} and {@code /q/openapi} need {@link Role#VIEWER} unless {@code pipeline.auth.open-metrics} and
 * {@code pipeline.auth.open-openapi} (both on by default) open them, and then a token, whatever
 * {@code pipeline.auth.open-reads} says; {@code /q/health} is always open.
 */
@ApplicationScoped
public class ServiceEndpointsGuard {

    void register(@Observes Filters filters, Access access, AuthConfig config) {
        filters.register(request -> {
            String path = request.normalizedPath();
            boolean closed = (!config.openMetrics() && path.startsWith("/q/metrics"))
                    || (!config.openOpenapi() && path.startsWith("/q/openapi"));
            if (closed) {
                try {
                    access.requireToken(request.request().getHeader(HttpHeaders.AUTHORIZATION), Role.VIEWER);
                } catch (AccessRefused e) {
                    AccessAudit.record(e, request.request().method().name(), path);
                    Problem problem = e.toProblem();
                    if (problem.status() == 401) {
                        request.response().putHeader("WWW-Authenticate", "Bearer");
                    }
                    request.response().setStatusCode(problem.status())
                            .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .end(JsonObject.mapFrom(problem).encode());
                    return;
                }
            }
            request.next();
        }, 100);
    }
}
