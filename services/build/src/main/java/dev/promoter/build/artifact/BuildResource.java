package dev.promoter.build.artifact;

import dev.promoter.build.config.BuildConfig;
import dev.promoter.kit.BearerTokens;
import dev.promoter.kit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;

/** {@code POST /api/v1/builds}: a build (e.g. a Jenkins job) reports the image it pushed. */
@Path("/api/v1/builds")
public class BuildResource {

    private static final Logger LOG = Logger.getLogger(BuildResource.class);

    private final ArtifactService artifacts;
    private final BearerTokens tokens;

    BuildResource(ArtifactService artifacts, BuildConfig config) {
        this.artifacts = artifacts;
        this.tokens = new BearerTokens(config.apiTokens());
        if (tokens.isEmpty()) {
            LOG.warn("no build.api-tokens configured: every POST /api/v1/builds is refused with 401");
        }
    }

    /** The response body of an accepted report. */
    public record Receipt(String eventId, String application, String digest, boolean duplicate) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> report(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, BuildReport report) {
        String caller = tokens.require(authorization);
        if (report == null) {
            throw ProblemException.badRequest("send a JSON body with application, repository and digest", java.util.List.of());
        }
        return artifacts.accept(report, caller).map(accepted -> Response.accepted(
                        new Receipt(accepted.eventId(), report.application(), report.digest(), !accepted.first()))
                .build());
    }
}
