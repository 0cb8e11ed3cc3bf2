package dev.promoter.promote.stop;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.promote.access.Access;
import dev.promoter.kit.auth.Role;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Stop the line: halt every promotion of one application, or of all, with a reason; resume it. Role: operator for
 * both writes. Reading the active stops is open like the other reads.
 */
@Path("/api/v1/stop-the-line")
@Produces(MediaType.APPLICATION_JSON)
public class StopTheLineResource {

    static final String VIA = "api";

    /** {@code application} absent: every application's line. */
    public record StopRequest(String application, String reason) {
    }

    private final LineStops stops;
    private final Access access;

    StopTheLineResource(LineStops stops, Access access) {
        this.stops = stops;
        this.access = access;
    }

    /** Stops the line; 201 with the stop. Role: operator. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> stop(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, StopRequest body) {
        Access.Caller caller = access.require(authorization, Role.OPERATOR);
        if (body == null) {
            throw ProblemException.badRequest("send {\"application\": \"…\" (absent: every application),"
                    + " \"reason\": \"…\"}", List.of());
        }
        String application = body.application() == null || body.application().isBlank() ? null : body.application();
        return stops.stop(application, body.reason(), caller.identity(), VIA)
                .map(stop -> Response.status(Response.Status.CREATED).entity(stop).build());
    }

    /** Role: operator. Resumes the line of {@code application} (absent: the stop of every application); 204, or 404 when none. */
    @DELETE
    public Uni<Response> resume(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @QueryParam("application") String application) {
        Access.Caller caller = access.require(authorization, Role.OPERATOR);
        return stops.resume(application == null || application.isBlank() ? null : application, caller.identity(), VIA)
                .map(ignored -> Response.noContent().build());
    }

    /** The stopped lines, every application's first. Role: viewer. */
    @GET
    @WithSession
    public Uni<List<LineStops.StopView>> active(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return stops.active();
    }
}
