package dev.promoter.kit.problem;

import dev.promoter.kit.health.Failures;
import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every error a resource raises into problem+json, never into a stack trace or an HTML page. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        return respond(ProblemException.badRequest("the body is not valid JSON" + where
                + "; send a JSON object with the documented fields", List.of()).toProblem());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // The JSON reader reports a malformed body as a bare 400 whose cause says where it broke.
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem("about:blank", title, status, e.getMessage(), null));
    }

    /**
     * Everything else, checked exceptions included (a refused database connection arrives as a bare
     * {@code ConnectException}, which once fell through to Quarkus' HTML error page): a dependency that cannot be
     * reached is a 503 with {@code Retry-After}; anything else a 500. Neither shows a stack trace.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        Failures.Classified failure = Failures.classify(e);
        if (failure.isTransient()) {
            String dependency = failure.dependency().orElse(Failures.NETWORK);
            LOG.warnf("answering 503: the %s cannot be reached: %s", dependency, e.toString());
            return respond(ProblemException.unavailable(unavailableDetail(dependency)).toProblem());
        }
        LOG.error("unexpected error while handling a request", e);
        return respond(new Problem("about:blank", "Internal error", 500,
                "the service failed to handle the request; nothing was changed, retry later", null));
    }

    static String unavailableDetail(String dependency) {
        String what = switch (dependency) {
            case Failures.DATABASE -> "the database";
            case Failures.REGISTRY -> "the registry";
            case Failures.KAFKA -> "Kafka";
            default -> "a dependency of this service";
        };
        return what + " cannot be reached at the moment; nothing was changed, retry after "
                + Failures.RETRY_AFTER_SECONDS + " seconds";
    }

    static Response respond(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 503) {
            response.header("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
        }
        return response.build();
    }
}
