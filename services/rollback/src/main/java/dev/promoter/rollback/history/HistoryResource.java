package dev.promoter.rollback.history;

import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Read side for operators and benchmarks: a stage's deployment history as the rollback service recorded it, one page
 * of moves at a time ({@code ?limit=&before=}, see {@link Pages}), read by projection so its cost does not grow with
 * the history.
 */
@Path("/api/v1/applications/{application}/stages/{stage}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    /** How many of the stage's newest deploy-hook and Slack calls a page shows. */
    static final int CALLS = Pages.DEFAULT_LIMIT;

    private final HistoryPages pages;
    private final OutgoingCalls calls;
    private final Access access;

    HistoryResource(HistoryPages pages, OutgoingCalls calls, Access access) {
        this.access = access;
        this.pages = pages;
        this.calls = calls;
    }

    /** Role: viewer. */
    @GET
    public Uni<StageHistory> history(@PathParam("application") String application, @PathParam("stage") String stage,
                                     @QueryParam("limit") String limit, @QueryParam("before") String before,
                                     @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "a deployment id");
        return pages.stage(application, stage).chain(found -> {
            if (found == null) {
                throw ProblemException.notFound("the rollback service never heard of a promotion of " + application
                        + " into stage " + stage + "; check both names, or wait for its first service.deployed event");
            }
            return pages.newest(application, stage).chain(current -> pages.target(application, stage, current)
                    .chain(target -> pages.quarantined(application, stage)
                            .chain(quarantined -> pages.page(application, stage, size, cursor)
                                    .chain(page -> calls.ofStage(application, stage, CALLS)
                                            .map(stageCalls -> StageHistory.page(found, current, target, quarantined, page)
                                                    .withCalls(stageCalls.stream().map(c -> new StageHistory.Call(
                                                            c.id(), c.kind(), c.digest(), c.target(), c.status().name(),
                                                            c.attempts(), c.lastOutcome(), c.attemptLog().isEmpty()
                                                            ? List.of() : List.of(c.attemptLog().split("\n")),
                                                            c.createdAt(), c.finishedAt())).toList()))))));
        });
    }
}
