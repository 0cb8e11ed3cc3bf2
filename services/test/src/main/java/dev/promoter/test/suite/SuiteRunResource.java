package dev.promoter.test.suite;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code GET /api/v1/applications/{application}/artifacts/{digest}/tests}: the suite runs of one artifact. */
@Path("/api/v1/applications/{application}/artifacts/{digest}/tests")
public class SuiteRunResource {

    // The contracts' rule for names: applications are Kafka keys and API path segments.
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SuiteRunService suiteRuns;
    private final Access access;

    SuiteRunResource(SuiteRunService suiteRuns, Access access) {
        this.suiteRuns = suiteRuns;
        this.access = access;
    }

    /**
     * One suite run as the API shows it; {@code outcome} is the CDEvents spelling, as on the wire. {@code phase} is
     * {@code finished}, or {@code pending} for a run that started and waits (an HTTP smoke check's turn, an external
     * result until {@code dueAt}, its deadline): no outcome yet, {@code durationMs} so far.
     */
    public record SuiteRunView(String stage, String suite, int attempt, String outcome, String reason,
                               Instant startedAt, Instant finishedAt, long durationMs, String kind, String phase,
                               Instant dueAt) {

        static SuiteRunView of(SuiteRun run) {
            return new SuiteRunView(run.stage, run.suite, run.attempt, run.outcome().wireValue(), run.reason,
                    run.startedAt, run.finishedAt, run.durationMs(), run.kind, "finished", null);
        }

        static SuiteRunView of(PendingSuite pending, Instant now) {
            return new SuiteRunView(pending.stage, pending.suite, pending.attempt, null, null, pending.startedAt, null,
                    Math.max(0, Duration.between(pending.startedAt, now).toMillis()), pending.kind, "pending",
                    pending.dueAt);
        }
    }

    /**
     * One page of the suite runs against the artifact in any stage ({@code ?limit=&before=}, see {@link Pages}): the
     * newest finished runs, shown in the order they finished, then, on the first page, the runs still pending; []
     * when none ran. The body stays a JSON array; the next (older) page's address is in the {@code Link} header
     * ({@code rel="next"}). Role: viewer.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<List<SuiteRunView>>> list(@PathParam("application") String application,
                                                      @PathParam("digest") String digest,
                                                      @QueryParam("limit") String limit,
                                                      @QueryParam("before") String before,
                                                      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                      @Context UriInfo uri) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "a suite run id");
        List<String> errors = new ArrayList<>();
        if (!APPLICATION.matcher(application).matches()) {
            errors.add("application: must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Digest parsed = null;
        try {
            parsed = Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            errors.add("digest: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the path names no valid artifact; use"
                    + " /api/v1/applications/<application>/artifacts/sha256:<64 hex>/tests", errors);
        }
        Digest artifact = parsed;
        Uni<List<PendingSuite>> pendingRuns = cursor == null ? suiteRuns.pendingOf(application, artifact)
                : Uni.createFrom().item(List.of());
        return suiteRuns.runsOf(application, artifact, Pages.fetch(size), Pages.below(cursor))
                .chain(runs -> pendingRuns.map(pending -> {
                    Pages.Page<SuiteRun> page = Pages.of(runs, size, run -> run.id);
                    Instant now = Instant.now();
                    List<SuiteRunView> views = new ArrayList<>(page.items().stream().map(SuiteRunView::of).toList());
                    Collections.reverse(views);
                    pending.forEach(p -> views.add(SuiteRunView.of(p, now)));
                    RestResponse.ResponseBuilder<List<SuiteRunView>> response = RestResponse.ResponseBuilder.ok(views);
                    String next = Pages.nextLink(uri.getRequestUri(), size, page.nextBefore());
                    return next == null ? response.build() : response.header(HttpHeaders.LINK, next).build();
                }));
    }
}
