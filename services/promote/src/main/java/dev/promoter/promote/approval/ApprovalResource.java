package dev.promoter.promote.approval;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Caller;
import dev.promoter.kit.auth.Role;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.promotion.PromotionDecision;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * The API door to gated stages, for the CLI and operators: approve or reject a waiting digest, promote one by hand,
 * pin and unpin a stage, read the audit trail. The caller named by the bearer token is the API principal
 * ({@code api:<caller>}: the static caller, or the person an OIDC token names), held to the same rules as a Slack user;
 * an OIDC caller's groups count for the approval rules' {@code @group} entries.
 */
@Path("/api/v1/applications/{application}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApprovalResource {

    static final String VIA = "api";

    /** {@code decision}: approve or reject. */
    public record ApprovalRequest(String digest, String decision, String comment) {
    }

    /** A digest to promote by hand. */
    public record PromotionRequestBody(String digest, String comment) {
    }

    /** The digest to pin the stage at (its current one when absent) and why. */
    public record PinRequest(String digest, String reason) {
    }

    /** One entry of the audit trail. */
    public record DecisionView(String stage, String digest, String decision, String person, String identity, String via,
                               String comment, Instant decidedAt) {
    }

    private final ApprovalService approvals;
    private final GateRepositories.Decisions decisions;
    private final Access access;

    ApprovalResource(ApprovalService approvals, GateRepositories.Decisions decisions, Access access) {
        this.approvals = approvals;
        this.decisions = decisions;
        this.access = access;
    }

    /** Role: approver. */
    @POST
    @Path("/stages/{stage}/approvals")
    public Uni<ApprovalService.Outcome> decide(@PathParam("application") String application, @PathParam("stage") String stage,
                                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                               ApprovalRequest body) {
        Caller caller = access.require(authorization, Role.APPROVER);
        PromotionDecision.Kind vote = body == null ? null : PromotionDecision.Kind.ofWord(body.decision());
        if (body == null || body.digest() == null || vote == null || !vote.isVote()) {
            throw ProblemException.badRequest("send {\"digest\": \"sha256:…\", \"decision\": \"approve\" or \"reject\","
                    + " \"comment\": \"…\"}", List.of());
        }
        return approvals.decide(application, stage, body.digest(), "api:" + caller.name(), caller.groups(), VIA,
                vote, body.comment());
    }

    /** Role: releaser. */
    @POST
    @Path("/stages/{stage}/promotions")
    public Uni<ApprovalService.Outcome> promote(@PathParam("application") String application, @PathParam("stage") String stage,
                                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                PromotionRequestBody body) {
        String caller = access.require(authorization, Role.RELEASER).name();
        if (body == null || body.digest() == null) {
            throw ProblemException.badRequest("send {\"digest\": \"sha256:…\", \"comment\": \"…\"}", List.of());
        }
        return approvals.promote(application, stage, body.digest(), "api:" + caller, VIA, body.comment());
    }

    /** Role: releaser. */
    @PUT
    @Path("/stages/{stage}/pin")
    public Uni<ApprovalService.Outcome> pin(@PathParam("application") String application, @PathParam("stage") String stage,
                                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, PinRequest body) {
        String caller = access.require(authorization, Role.RELEASER).name();
        return approvals.pin(application, stage, body == null ? null : body.digest(), "api:" + caller, VIA,
                body == null ? null : body.reason());
    }

    /** Role: releaser. */
    @DELETE
    @Path("/stages/{stage}/pin")
    public Uni<ApprovalService.Outcome> unpin(@PathParam("application") String application, @PathParam("stage") String stage,
                                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String caller = access.require(authorization, Role.RELEASER).name();
        return approvals.unpin(application, stage, "api:" + caller, VIA, null);
    }

    /** The audit trail, newest first (at most 200 entries). Role: viewer. */
    @GET
    @Path("/decisions")
    @WithSession
    public Uni<List<DecisionView>> decisions(@PathParam("application") String application,
                                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        return decisions.ofApplication(application, 200).map(all -> all.stream().map(ApprovalResource::view).toList());
    }

    private static DecisionView view(PromotionDecision d) {
        return new DecisionView(d.stage, d.digest, d.decision.word(), d.person, d.identity, d.via, d.comment, d.decidedAt);
    }
}
