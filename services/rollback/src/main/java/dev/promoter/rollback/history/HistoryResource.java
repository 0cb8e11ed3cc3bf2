package dev.promoter.rollback.history;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Read side for operators and benchmarks: a stage's deployment history as the rollback service recorded it. */
@Path("/api/v1/applications/{application}/stages/{stage}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final StageRepository stages;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final OutgoingCalls calls;
    private final Access access;

    HistoryResource(StageRepository stages, DeploymentRepository deployments, QuarantineRepository quarantines,
                    OutgoingCalls calls, Access access) {
        this.access = access;
        this.stages = stages;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.calls = calls;
    }

    /** Role: viewer. */
    @GET
    @WithSession
    public Uni<StageHistory> history(@PathParam("application") String application, @PathParam("stage") String stage,
                                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return stages.find(application, stage).chain(found -> {
            if (found == null) {
                throw ProblemException.notFound("the rollback service never heard of a promotion of " + application
                        + " into stage " + stage + "; check both names, or wait for its first service.deployed event");
            }
            return deployments.ofStage(application, stage).chain(moves -> quarantines.digests(application, stage)
                    .chain(quarantined -> calls.ofStage(application, stage).map(stageCalls -> StageHistory
                            .of(found, moves, quarantined).withCalls(stageCalls.stream().map(c -> new StageHistory.Call(
                                    c.id(), c.kind(), c.digest(), c.target(), c.status().name(), c.attempts(),
                                    c.lastOutcome(), c.attemptLog().isEmpty() ? List.of() : List.of(c.attemptLog().split("\n")),
                                    c.createdAt(), c.finishedAt())).toList()))));
        });
    }
}
