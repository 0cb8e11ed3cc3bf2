package dev.promoter.messaging.outgoing;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * This service's outgoing calls (Slack messages, deploy hooks, Jenkins build requests): {@code GET} lists them newest
 * first, by status; {@code POST .../retry} gives a call that is FAILED a new round of attempts.
 */
@Path("/api/v1/outgoing-calls")
@Produces(MediaType.APPLICATION_JSON)
public class OutgoingCallResource {

    private final OutgoingCalls calls;
    private final Access access;

    OutgoingCallResource(OutgoingCalls calls, Access access) {
        this.calls = calls;
        this.access = access;
    }

    /** One call as listed; {@code attemptLog} has one line per attempt (and per retry a person asked for). */
    public record CallView(long id, String kind, String key, String application, String stage, String digest,
                           String target, String status, int attempts, String lastOutcome, List<String> attemptLog,
                           Instant createdAt, Instant finishedAt) {

        public static CallView of(OutgoingCall call) {
            return new CallView(call.id(), call.kind(), call.key(), call.application(), call.stage(), call.digest(),
                    call.target(), call.status().name(), call.attempts(), call.lastOutcome(),
                    call.attemptLog().isEmpty() ? List.of() : List.of(call.attemptLog().split("\n")),
                    call.createdAt(), call.finishedAt());
        }
    }

    /** A page of calls; {@code nextBefore} is the {@code before} of the next page, null on the last. */
    public record CallPage(List<CallView> outgoingCalls, Long nextBefore) {
    }

    /** Role: viewer. {@code status}: PENDING, SUCCEEDED, FAILED or SUPERSEDED (any case); all when absent. */
    @GET
    public Uni<CallPage> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
                              @QueryParam("before") String before,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "an outgoing call id");
        Optional<CallPhase> phase = Optional.ofNullable(status).map(s -> s.toUpperCase(Locale.ROOT)).map(s -> {
            try {
                return CallPhase.valueOf(s);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("status must be one of " + Arrays.toString(CallPhase.values()),
                        List.of("status"));
            }
        });
        return calls.list(phase, Pages.fetch(size), Pages.below(cursor)).map(found -> {
            Pages.Page<OutgoingCall> page = Pages.of(found, size, OutgoingCall::id);
            return new CallPage(page.items().stream().map(CallView::of).toList(), page.nextBefore());
        });
    }

    /**
     * Role: operator. Only a FAILED call is retried (409 otherwise), and not one a newer call of the same key
     * superseded (409: the newer one carries the newer state).
     */
    @POST
    @Path("/{id}/retry")
    public Uni<CallView> retry(@PathParam("id") long id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String caller = access.require(authorization, Role.OPERATOR).name();
        return calls.retry(id, caller).map(CallView::of);
    }
}
