package dev.promoter.kit.auth;

import dev.promoter.kit.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers a refused request with problem+json and records it in the audit log: one line per refusal in the log
 * category {@code dev.promoter.audit} (who, what, when, which role was missing and why; never the token).
 */
public class AccessAudit {

    /** The audit log's category: route it to its own file or collector with {@code quarkus.log.category}. */
    public static final String CATEGORY = "dev.promoter.audit";

    private static final Logger AUDIT = Logger.getLogger(CATEGORY);

    @ServerExceptionMapper
    public Response refused(AccessRefused e, ContainerRequestContext request) {
        record(e, request.getMethod(), request.getUriInfo().getPath());
        return respond(e);
    }

    /** Writes the audit line of one refusal. */
    static void record(AccessRefused e, String method, String path) {
        AUDIT.warnf("access refused: status=%d method=%s path=%s caller=%s authenticated-by=%s needed-role=%s"
                        + " reason=\"%s\" at=%s", e.toProblem().status(), method, path,
                e.caller().map(Caller::name).orElse("unknown"),
                e.caller().map(c -> c.authenticatedBy().id()).orElse("none"),
                e.missing().id(), e.reason(), Instant.now());
    }

    static Response respond(AccessRefused e) {
        Problem problem = e.toProblem();
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }
}
