package dev.promoter.rollback.rollback;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.rollback.health.HealthProber;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/applications/{app}/stages/{stage}/rollback}: an operator rolls a stage back, to its rollback
 * target or to a named earlier digest of its history.
 */
@Path("/api/v1/applications/{application}/stages/{stage}/rollback")
public class RollbackResource {

    /** Longest reason accepted; it is kept in the history and sent in {@code service.rolledback}. */
    static final int MAX_REASON_LENGTH = 500;

    private final RollbackService rollbacks;
    private final HealthProber prober;
    private final Access access;

    RollbackResource(RollbackService rollbacks, HealthProber prober, Access access) {
        this.rollbacks = rollbacks;
        this.prober = prober;
        this.access = access;
    }

    /**
     * The request body.
     *
     * @param reason why the operator rolls back; required, at most 500 characters
     * @param digest the earlier digest to go back to; absent for the stage's rollback target
     */
    public record ManualRollbackRequest(String reason, String digest) {
    }

    /**
     * The answer.
     *
     * @param stage            the stage
     * @param digest           the digest the stage runs now
     * @param rolledBackDigest the digest it left
     */
    public record ManualRollbackResponse(String stage, String digest, String rolledBackDigest) {
    }

    /** Role: operator. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> rollBack(@PathParam("application") String application, @PathParam("stage") String stage,
                                  @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  ManualRollbackRequest request) {
        String caller = access.require(authorization, Role.OPERATOR).name();
        List<String> errors = new ArrayList<>();
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            errors.add("reason: say why the stage is rolled back");
        } else if (request.reason().length() > MAX_REASON_LENGTH) {
            errors.add("reason: at most " + MAX_REASON_LENGTH + " characters, got " + request.reason().length());
        }
        Optional<String> named = Optional.ofNullable(request == null ? null : request.digest());
        if (named.isPresent()) {
            try {
                Digest.parse(named.get());
            } catch (IllegalArgumentException e) {
                errors.add("digest: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the rollback request is invalid; nothing was changed", errors);
        }
        return rollbacks.rollBackManually(application, stage, named, request.reason().strip(), caller)
                .invoke(outcome -> outcome.next().ifPresentOrElse(prober::watch,
                        () -> prober.unwatch(application, stage)))
                .map(outcome -> Response.accepted(new ManualRollbackResponse(outcome.stage(), outcome.digest(),
                        outcome.rolledBackDigest())).type(MediaType.APPLICATION_JSON).build())
                .onFailure(RollbackRefused.class).transform(e -> problem((RollbackRefused) e));
    }

    private static ProblemException problem(RollbackRefused refused) {
        return switch (refused.why()) {
            case UNKNOWN_STAGE -> ProblemException.notFound(refused.getMessage());
            case NO_TARGET, CURRENT, QUARANTINED, MOVED_ON ->
                    new ProblemException(409, "Conflict", refused.getMessage());
            case NEVER_RAN -> ProblemException.unprocessable(refused.getMessage());
        };
    }
}
