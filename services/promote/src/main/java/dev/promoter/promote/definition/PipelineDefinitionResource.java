package dev.promoter.promote.definition;

import dev.promoter.kit.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/** {@code PUT|GET /api/v1/applications/{app}/pipeline}: an application's pipeline definition, as YAML. */
@Path("/api/v1/applications/{application}/pipeline")
public class PipelineDefinitionResource {

    private final DefinitionService definitions;
    private final Access access;
    private final PipelineDefinitionParser parser = new PipelineDefinitionParser();

    PipelineDefinitionResource(DefinitionService definitions, Access access) {
        this.definitions = definitions;
        this.access = access;
    }

    /** Role: admin. */
    @PUT
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Produces("application/yaml")
    public Uni<Response> save(@PathParam("application") String application,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String caller = access.require(authorization, Role.ADMIN).name();
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("send the pipeline definition as YAML in the body", java.util.List.of());
        }
        if (body.length > PipelineDefinitionParser.MAX_BYTES) {
            throw new ProblemException(413, "Too large", "a pipeline definition may be at most "
                    + PipelineDefinitionParser.MAX_BYTES / 1024 + " KiB");
        }
        String yaml = new String(body, StandardCharsets.UTF_8);
        return Uni.createFrom().deferred(() -> {
                    String normalised = parser.toYaml(definitions.parse(yaml));
                    return Panache.withTransaction(() -> definitions.save(application, normalised, "api:" + caller))
                            .map(created -> Response.status(created ? 201 : 200).entity(normalised).build());
                })
                .onFailure(InvalidPipelineDefinitionException.class).transform(e -> ProblemException.badRequest(
                        "the pipeline definition is invalid; nothing was saved",
                        ((InvalidPipelineDefinitionException) e).messages()));
    }

    /** Role: viewer. */
    @GET
    @Produces("application/yaml")
    public Uni<String> get(@PathParam("application") String application,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return definitions.findById(application).map(stored -> {
            if (stored == null) {
                throw ProblemException.notFound("application " + application + " has no pipeline definition");
            }
            return stored.yaml;
        });
    }
}
