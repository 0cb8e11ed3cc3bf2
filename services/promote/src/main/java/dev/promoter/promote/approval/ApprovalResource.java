package dev.promoter.promote.approval;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Caller;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
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

    /** One entry of the audit trail; {@code id}: its place in the trail (the {@code before} of paging). */
    public record DecisionView(long id, String stage, String digest, String decision, String person, String identity, String via,
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

    /**
     * The audit trail, newest first, one page ({@code ?limit=&before=}, see {@link Pages}); the body stays a JSON
     * array, and the next page's address is in the {@code Link} header ({@code rel="next"}). Role: viewer.
     */
    @GET
    @Path("/decisions")
    @WithSession
    public Uni<RestResponse<List<DecisionView>>> decisions(@PathParam("application") String application,
                                                           @QueryParam("limit") String limit,
                                                           @QueryParam("before") String before,
                                                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                           @Context UriInfo uri) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "a decision id");
        return decisions.page(application, Pages.fetch(size), Pages.below(cursor)).map(found -> {
            Pages.Page<PromotionDecision> page = Pages.of(found, size, d -> d.id);
            RestResponse.ResponseBuilder<List<DecisionView>> response = RestResponse.ResponseBuilder
                    .ok(page.items().stream().map(ApprovalResource::view).toList());
            String next = Pages.nextLink(uri.getRequestUri(), size, page.nextBefore());
            return next == null ? response.build() : response.header(HttpHeaders.LINK, next).build();
        });
    }

    private static DecisionView view(PromotionDecision d) {
        return new DecisionView(d.id, d.stage, d.digest, d.decision.word(), d.person, d.identity, d.via, d.comment, d.decidedAt);
    }
}
