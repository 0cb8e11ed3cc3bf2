package dev.promoter.rollback.outgoing;

import dev.promoter.kit.BearerTokens;
import dev.promoter.kit.ProblemException;
import dev.promoter.messaging.Transactions;
import dev.promoter.rollback.config.RollbackConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The rollback service's outgoing calls (deploy hooks, Slack notices) across stages: {@code GET} lists them newest
 * first, by status; {@code POST .../retry} gives a call that used up its attempts ({@code FAILED}) a new round.
 */
@Path("/api/v1/outgoing-calls")
@Produces(MediaType.APPLICATION_JSON)
public class OutgoingCallResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final OutgoingCalls calls;
    private final OutgoingCallSweeper sweeper;
    private final Transactions transactions;
    private final BearerTokens tokens;

    OutgoingCallResource(OutgoingCalls calls, OutgoingCallSweeper sweeper, Transactions transactions, RollbackConfig config) {
        this.calls = calls;
        this.sweeper = sweeper;
        this.transactions = transactions;
        this.tokens = new BearerTokens(config.apiTokens());
    }

    /** One call as listed; {@code attemptLog} has one line per attempt. */
    public record CallView(long id, String kind, String application, String stage, String digest, String target,
                           String status, int attempts, String lastOutcome, String attemptLog, Instant createdAt,
                           Instant finishedAt) {

        static CallView of(OutgoingCall call) {
            return new CallView(call.id, call.kind, call.application, call.stage, call.digest, call.target, call.status,
                    call.attempts, call.lastOutcome, call.attemptLog, call.createdAt, call.finishedAt);
        }
    }

    /** A page of calls; {@code nextBefore} is the {@code before} of the next page, null on the last. */
    public record CallPage(List<CallView> outgoingCalls, Long nextBefore) {
    }

    /** Role: viewer. {@code status}: PENDING, SUCCEEDED, FAILED or SUPERSEDED; all when absent. */
    @GET
    public Uni<CallPage> list(@QueryParam("status") String status, @QueryParam("limit") Integer limit,
                              @QueryParam("before") Long before) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT, List.of("limit"));
        }
        String phase = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (phase != null && !List.of("PENDING", "SUCCEEDED", "FAILED", "SUPERSEDED").contains(phase)) {
            throw ProblemException.badRequest("status must be PENDING, SUCCEEDED, FAILED or SUPERSEDED", List.of("status"));
        }
        long below = before == null ? Long.MAX_VALUE : before;
        return Panache.withSession(() -> (phase == null
                        ? calls.find("id < ?1 order by id desc", below)
                        : calls.find("id < ?1 and status = ?2 order by id desc", below, phase))
                .page(0, size).list())
                .map(found -> new CallPage(found.stream().map(CallView::of).toList(),
                        found.size() == size ? found.get(found.size() - 1).id : null));
    }

    /**
     * Role: operator. Only a {@code FAILED} call can be retried (409 otherwise), and not a deploy hook the stage has
     * moved past since (409: a newer hook carries the newer digest).
     */
    @POST
    @Path("/{id}/retry")
    public Uni<CallView> retry(@PathParam("id") long id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String caller = tokens.require(authorization);
        return transactions.inTransaction(() -> calls.findById(id).chain(call -> {
                    if (call == null) {
                        throw ProblemException.notFound("no outgoing call " + id);
                    }
                    if (!CallPhase.FAILED.name().equals(call.status)) {
                        throw new ProblemException(409, "Not failed", "outgoing call " + id + " is " + call.status
                                + "; only a FAILED call is retried");
                    }
                    return newerHook(call).map(newer -> {
                        if (newer) {
                            throw new ProblemException(409, "Superseded", "the stage " + call.stage + " of "
                                    + call.application + " has a newer deploy hook; retrying this one would send an older digest");
                        }
                        call.retry(caller, Instant.now());
                        return CallView.of(call);
                    });
                }))
                .invoke(sweeper::wakeSoon);
    }

    private Uni<Boolean> newerHook(OutgoingCall call) {
        if (!OutgoingCall.DEPLOY_HOOK.equals(call.kind)) {
            return Uni.createFrom().item(false);
        }
        return calls.count("application = ?1 and stage = ?2 and kind = ?3 and id > ?4", call.application, call.stage,
                call.kind, call.id).map(count -> count > 0);
    }
}
