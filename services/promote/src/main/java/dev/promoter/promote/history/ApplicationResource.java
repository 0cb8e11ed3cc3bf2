package dev.promoter.promote.history;

import dev.promoter.kit.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import dev.promoter.promote.promotion.ReceivedArtifact;
import dev.promoter.promote.promotion.ReceivedArtifacts;
import dev.promoter.promote.gate.GateStatus;
import dev.promoter.promote.promotion.GateKeeper;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.promotion.PromotionRequest;
import dev.promoter.promote.promotion.StagePin;
import dev.promoter.promote.stop.LineStops;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Read side for operators, the CLI and the dashboard: applications and their stages' histories. */
@Path("/api/v1/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    private final ApplicationViews views;
    private final Access access;

    ApplicationResource(ApplicationViews views, Access access) {
        this.views = views;
        this.access = access;
    }

    /** Role: viewer. */
    @GET
    @WithSession
    public Uni<List<ApplicationViews.ApplicationSummary>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return views.list();
    }

    /** Role: viewer. */
    @GET
    @Path("/{application}")
    @WithSession
    public Uni<ApplicationViews.ApplicationView> get(@PathParam("application") String application,
                                                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return views.get(application);
    }
}
