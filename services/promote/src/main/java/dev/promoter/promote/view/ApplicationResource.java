package dev.promoter.promote.view;

import dev.promoter.kit.auth.Access;
import java.util.List;
import dev.promoter.kit.auth.Role;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

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
