package dev.promoter.rollback.history;

import dev.promoter.kit.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Read side for operators and benchmarks: a stage's deployment history as the rollback service recorded it. */
@Path("/api/v1/applications/{application}/stages/{stage}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final StageRepository stages;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;

    HistoryResource(StageRepository stages, DeploymentRepository deployments, QuarantineRepository quarantines) {
        this.stages = stages;
        this.deployments = deployments;
        this.quarantines = quarantines;
    }

    @GET
    @WithSession
    public Uni<StageHistory> history(@PathParam("application") String application, @PathParam("stage") String stage) {
        return stages.find(application, stage).chain(found -> {
            if (found == null) {
                throw ProblemException.notFound("the rollback service never heard of a promotion of " + application
                        + " into stage " + stage + "; check both names, or wait for its first service.deployed event");
            }
            return deployments.ofStage(application, stage).chain(moves -> quarantines.digests(application, stage)
                    .map(quarantined -> StageHistory.of(found, moves, quarantined)));
        });
    }
}
