package dev.promoter.rollback.alert;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.rollback.history.StageRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET .../stages/{stage}/alerts}: the Alertmanager verdicts recorded for a stage, newest first, with evidence. */
@Path("/api/v1/applications/{application}/stages/{stage}/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertVerdictResource {

    private final StageRepository stages;
    private final AlertVerdictRepository verdicts;
    private final Access access;

    AlertVerdictResource(StageRepository stages, AlertVerdictRepository verdicts, Access access) {
        this.access = access;
        this.stages = stages;
        this.verdicts = verdicts;
    }

    /**
     * The answer.
     *
     * @param application the application
     * @param stage       the stage
     * @param alerts      one page of its verdicts, newest first ({@code ?limit=&before=})
     * @param nextBefore  the {@code before} of the next (older) page, null on the last
     */
    public record StageAlerts(String application, String stage, List<AlertVerdictRepository.Row> alerts,
                              Long nextBefore) {
    }

    /** Role: viewer. */
    @GET
    @WithSession
    public Uni<StageAlerts> alerts(@PathParam("application") String application, @PathParam("stage") String stage,
                                   @QueryParam("limit") String limit, @QueryParam("before") String before,
                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "an alert verdict id");
        return stages.find(application, stage).chain(found -> {
            if (found == null) {
                throw ProblemException.notFound("the rollback service never heard of a promotion of " + application
                        + " into stage " + stage + "; check both names");
            }
            return verdicts.ofStage(application, stage, Pages.fetch(size), Pages.below(cursor)).map(rows -> {
                Pages.Page<AlertVerdictRepository.Row> page = Pages.of(rows, size, AlertVerdictRepository.Row::id);
                return new StageAlerts(application, stage, page.items(), page.nextBefore());
            });
        });
    }
}
