package dev.promoter.promote.ui;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.promote.access.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.promote.approval.ApprovalService;
import dev.promoter.promote.config.PromoteConfig;
import dev.promoter.promote.dora.DoraService;
import dev.promoter.promote.promotion.ApplicationChanged;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.promotion.PromotionDecision;
import dev.promoter.promote.stop.LineStops;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import dev.promoter.kit.page.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The dashboard, server-rendered: {@code /ui} the value stream (applications as rows, stages as columns),
 * {@code /ui/applications/{app}} one application (timelines, rollbacks, quarantines, waiting digests, pins, the
 * audit trail, the stop of the line). Both are complete HTML without JavaScript; a small script follows
 * {@code /ui/events} and replaces the page's fragment ({@code ?fragment=true}) when its application changed.
 * Buttons are forms, shown only to a signed-in caller holding the role the action needs, checked again (with the
 * form's CSRF token) when the form arrives; each answers with a redirect back to the page and a notice
 * (Post/Redirect/Get). Reads go through promote's read views only.
 */
@Path("/ui")
public class DashboardResource {

    static final String VIA = "dashboard";
    /** How many moves of each stage's history the application page shows; "older" pages through the rest. */
    static final int HISTORY_PAGE = 20;
    static final Map<String, String> ASSETS = Map.of("dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");
    static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance stream(SignIn.Viewer viewer, List<ValueStream.Row> rows, String notice,
                                              Instant now);

        static native TemplateInstance stream$rows(SignIn.Viewer viewer, List<ValueStream.Row> rows, Instant now);

        static native TemplateInstance application(SignIn.Viewer viewer, ValueStream.Page page, DoraSummary dora,
                                                   List<ApplicationEntry> audit, String notice, boolean rollbacks,
                                                   Instant now);

        static native TemplateInstance application$body(SignIn.Viewer viewer, ValueStream.Page page,
                                                        DoraSummary dora, List<ApplicationEntry> audit,
                                                        boolean rollbacks, Instant now);

        static native TemplateInstance signin(SignIn.Viewer viewer, String notice);
    }

    /** One line of the audit trail as the page shows it. */
    public record ApplicationEntry(String when, String decision, String stage, String digest, String person,
                                   String identity, String via, String comment) {
    }

    private final ValueStream stream;
    private final SignIn signIn;
    private final ApprovalService approvals;
    private final LineStops stops;
    private final GateRepositories.Decisions decisions;
    private final RollbackForwarder rollbacks;
    private final boolean rollbackConfigured;
    private final Event<ApplicationChanged> changed;
    private final DoraService dora;

    DashboardResource(ValueStream stream, SignIn signIn, ApprovalService approvals, LineStops stops,
                      GateRepositories.Decisions decisions, RollbackForwarder rollbacks, PromoteConfig config,
                      Event<ApplicationChanged> changed, DoraService dora) {
        this.stream = stream;
        this.signIn = signIn;
        this.approvals = approvals;
        this.stops = stops;
        this.decisions = decisions;
        this.rollbacks = rollbacks;
        this.rollbackConfigured = config.rollback().token().isPresent();
        this.changed = changed;
        this.dora = dora;
    }

    // --- pages ------------------------------------------------------------------------------------------------

    @GET
    @Produces(MediaType.TEXT_HTML)
    @WithSession
    public Uni<Response> valueStream(@CookieParam(SignIn.COOKIE) String session, @QueryParam("fragment") boolean fragment,
                                     @QueryParam("notice") String notice) {
        SignIn.Viewer viewer = signIn.viewer(session);
        if (signIn.mustSignIn(viewer)) {
            return Uni.createFrom().item(seeOther("/ui/sign-in", "sign in with a token that may read (viewer)"));
        }
        Instant now = Instant.now();
        return stream.rows().map(rows -> html(fragment ? Templates.stream$rows(viewer, rows, now)
                : Templates.stream(viewer, rows, notice, now)));
    }

    @GET
    @Path("/applications/{application}")
    @Produces(MediaType.TEXT_HTML)
    @WithSession
    public Uni<Response> application(@PathParam("application") String application,
                                     @CookieParam(SignIn.COOKIE) String session, @QueryParam("fragment") boolean fragment,
                                     @QueryParam("notice") String notice, @QueryParam("stage") String stage,
                                     @QueryParam("before") String before) {
        SignIn.Viewer viewer = signIn.viewer(session);
        if (signIn.mustSignIn(viewer)) {
            return Uni.createFrom().item(seeOther("/ui/sign-in", "sign in with a token that may read (viewer)"));
        }
        Long cursor = Pages.before(before, "a deployment id");
        String pagedStage = cursor == null || stage == null || stage.isBlank() ? null : stage;
        Instant now = Instant.now();
        return stream.page(application, HISTORY_PAGE, pagedStage, cursor).chain(page -> dora.figures(application, DoraService.defaultStage(
                page.view().stages().stream().map(s -> s.name()).toList()), DoraSummary.WINDOW_LENGTH)
                .map(DoraSummary::of).chain(figures -> decisions.ofApplication(application, 100).map(all -> {
                    List<ApplicationEntry> audit = all.stream().map(d -> new ApplicationEntry(
                            StreamCell.when(d.decidedAt), d.decision.word(), d.stage, StreamCell.shortDigest(d.digest),
                            d.person, d.identity, d.via, d.comment)).toList();
                    return html(fragment
                            ? Templates.application$body(viewer, page, figures, audit, rollbackConfigured, now)
                            : Templates.application(viewer, page, figures, audit, notice, rollbackConfigured, now));
                })));
    }

    @GET
    @Path("/sign-in")
    @Produces(MediaType.TEXT_HTML)
    public Response signInPage(@CookieParam(SignIn.COOKIE) String session, @QueryParam("notice") String notice) {
        return html(Templates.signin(signIn.viewer(session), notice));
    }

    @GET
    @Path("/assets/{name}")
    public Response asset(@PathParam("name") String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            throw ProblemException.notFound("no such asset");
        }
        try (InputStream in = getClass().getResourceAsStream("/ui-assets/" + name)) {
            return Response.ok(in.readAllBytes()).type(type).header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- sign-in ----------------------------------------------------------------------------------------------

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("token") String token, @Context UriInfo uri) {
        String presented = token == null ? "" : token.strip();
        if (presented.isEmpty() || presented.length() > SignIn.MAX_TOKEN || signIn.caller(presented).isEmpty()) {
            return seeOther("/ui/sign-in", "that token is not valid here; paste the API token you were given");
        }
        return Response.seeOther(URI.create("/ui")).cookie(signIn.session(presented, secure(uri))).build();
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                            @Context UriInfo uri) {
        if (!signIn.csrfMatches(session, csrf)) {
            return seeOther("/ui", "that form is out of date; try again");
        }
        return Response.seeOther(URI.create("/ui")).cookie(signIn.signedOut(secure(uri))).build();
    }

    // --- actions ----------------------------------------------------------------------------------------------

    @POST
    @Path("/applications/{application}/stages/{stage}/approvals")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> decide(@PathParam("application") String application, @PathParam("stage") String stage,
                                @CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                                @FormParam("digest") String digest, @FormParam("decision") String decision,
                                @FormParam("comment") String comment) {
        return act(application, session, csrf, Role.APPROVER, caller -> {
            PromotionDecision.Kind vote = PromotionDecision.Kind.ofWord(decision);
            if (vote == null || !vote.isVote()) {
                throw ProblemException.badRequest("decision must be approve or reject", List.of());
            }
            return approvals.decide(application, stage, digest, caller.identity(), VIA, vote,
                    blankToNull(comment)).map(o -> (vote == PromotionDecision.Kind.APPROVE ? "approved: " : "rejected: ")
                    + o.explanation());
        });
    }

    @POST
    @Path("/applications/{application}/stages/{stage}/promotions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> promote(@PathParam("application") String application, @PathParam("stage") String stage,
                                 @CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                                 @FormParam("digest") String digest, @FormParam("comment") String comment) {
        return act(application, session, csrf, Role.RELEASER, caller -> approvals.promote(application, stage, digest,
                caller.identity(), VIA, blankToNull(comment)).map(o -> "promoted by hand: " + o.explanation()));
    }

    @POST
    @Path("/applications/{application}/stages/{stage}/pin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> pin(@PathParam("application") String application, @PathParam("stage") String stage,
                             @CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                             @FormParam("reason") String reason) {
        return act(application, session, csrf, Role.RELEASER, caller -> approvals.pin(application, stage, null,
                caller.identity(), VIA, blankToNull(reason)).map(ApprovalService.Outcome::explanation));
    }

    @POST
    @Path("/applications/{application}/stages/{stage}/unpin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> unpin(@PathParam("application") String application, @PathParam("stage") String stage,
                               @CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf) {
        return act(application, session, csrf, Role.RELEASER, caller -> approvals.unpin(application, stage,
                caller.identity(), VIA, null).map(ApprovalService.Outcome::explanation));
    }

    @POST
    @Path("/applications/{application}/stages/{stage}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> rollBack(@PathParam("application") String application, @PathParam("stage") String stage,
                                  @CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                                  @FormParam("digest") String digest, @FormParam("reason") String reason) {
        return act(application, session, csrf, Role.OPERATOR, caller -> {
            if (reason == null || reason.isBlank()) {
                throw ProblemException.badRequest("say why the stage is rolled back", List.of());
            }
            String why = reason.strip() + " (by " + caller.identity() + " on the dashboard)";
            return rollbacks.rollBack(application, stage, blankToNull(digest), why)
                    .call(words -> Panache.withTransaction(() -> decisions.persist(PromotionDecision.of(
                            PromotionDecision.Kind.ROLLBACK, null, application, stage, blankToNull(digest),
                            caller.identity(), caller.identity(), VIA, reason.strip(), Instant.now()))));
        });
    }

    @POST
    @Path("/stop-the-line")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> stop(@CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                              @FormParam("application") String application, @FormParam("reason") String reason) {
        String app = blankToNull(application);
        return act(app, session, csrf, Role.OPERATOR, caller -> stops.stop(app, reason, caller.identity(), VIA)
                .map(LineStops.StopView::words));
    }

    @POST
    @Path("/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> resume(@CookieParam(SignIn.COOKIE) String session, @FormParam("csrf") String csrf,
                                @FormParam("application") String application) {
        String app = blankToNull(application);
        return act(app, session, csrf, Role.OPERATOR, caller -> stops.resume(app, caller.identity(), VIA)
                .map(stop -> "the line of " + (app == null ? "every application" : app) + " runs again"));
    }

    /**
     * Checks the session, its role and the form's CSRF token, runs the action, and redirects back to the page the
     * action belongs to with what happened, or why not, as its notice.
     */
    private Uni<Response> act(String application, String session, String csrf, Role role,
                              java.util.function.Function<Access.Caller, Uni<String>> action) {
        String page = application == null ? "/ui" : "/ui/applications/" + segment(application);
        Access.Caller caller = signIn.caller(session).orElse(null);
        if (caller == null) {
            return Uni.createFrom().item(seeOther("/ui/sign-in", "sign in first"));
        }
        if (!signIn.csrfMatches(session, csrf)) {
            return Uni.createFrom().item(seeOther(page, "that form is out of date; reload the page and try again"));
        }
        if (!caller.may(role)) {
            return Uni.createFrom().item(seeOther(page, "this needs the " + role.id() + " role"));
        }
        return Uni.createFrom().deferred(() -> action.apply(caller))
                .map(words -> seeOther(page, words))
                .onFailure(ProblemException.class).recoverWithItem(e -> seeOther(page, "refused: " + e.getMessage()))
                .invoke(() -> changed.fire(new ApplicationChanged(application == null ? "*" : application)));
    }

    private static Response html(TemplateInstance page) {
        return Response.ok(page.render()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store").build();
    }

    private static Response seeOther(String page, String notice) {
        return Response.seeOther(URI.create(page + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
                .build();
    }

    private static boolean secure(UriInfo uri) {
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
