package dev.promoter.promote.view;

import dev.promoter.kit.auth.Access;
import java.util.List;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
import dev.promoter.promote.history.StageHistory;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

    /**
     * Role: viewer. Each stage's {@code history} is its newest moves ({@code ?limit=}, see {@link Pages}); its
     * {@code historyNextBefore} is the {@code before} of the next page of {@code .../stages/{stage}/history}.
     */
    @GET
    @Path("/{application}")
    @WithSession
    public Uni<ApplicationViews.ApplicationView> get(@PathParam("application") String application,
                                                     @QueryParam("limit") String limit,
                                                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return views.get(application, Pages.size(limit), null, null);
    }

    /** Role: viewer. One page of a stage's deployment history ({@code ?limit=&before=}), newest first. */
    @GET
    @Path("/{application}/stages/{stage}/history")
    @WithSession
    public Uni<StageHistory> history(@PathParam("application") String application, @PathParam("stage") String stage,
                                     @QueryParam("limit") String limit, @QueryParam("before") String before,
                                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "a deployment id");
        return views.history(application, stage, size, cursor);
    }
}
