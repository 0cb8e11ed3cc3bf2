package dev.promoter.build.artifact;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Caller;
import dev.promoter.kit.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /api/v1/builds}: a build (e.g. a Jenkins job) reports the image it pushed. */
@Path("/api/v1/builds")
public class BuildResource {

    private final ArtifactService artifacts;
    private final Access access;

    BuildResource(ArtifactService artifacts, Access access) {
        this.artifacts = artifacts;
        this.access = access;
    }

    /** The response body of an accepted report. */
    public record Receipt(String eventId, String application, String digest, boolean duplicate) {
    }

    /** Role: reporter. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> report(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, BuildReport report) {
        Caller caller = access.require(authorization, Role.REPORTER);
        if (report == null) {
            throw ProblemException.badRequest("send a JSON body with application, repository and digest", java.util.List.of());
        }
        return artifacts.accept(report, caller.name()).map(accepted -> Response.accepted(
                        new Receipt(accepted.eventId(), report.application(), report.digest(), !accepted.first()))
                .build());
    }
}
