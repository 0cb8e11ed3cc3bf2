package dev.promoter.test.suite;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code GET /api/v1/applications/{application}/artifacts/{digest}/tests}: the suite runs of one artifact. */
@Path("/api/v1/applications/{application}/artifacts/{digest}/tests")
public class SuiteRunResource {

    // The contracts' rule for names: applications are Kafka keys and API path segments.
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SuiteRunService suiteRuns;

    SuiteRunResource(SuiteRunService suiteRuns) {
        this.suiteRuns = suiteRuns;
    }

    /** One suite run as the API shows it; {@code outcome} is the CDEvents spelling, as on the wire. */
    public record SuiteRunView(String stage, String suite, int attempt, String outcome, String reason,
                               Instant startedAt, Instant finishedAt, long durationMs) {

        static SuiteRunView of(SuiteRun run) {
            return new SuiteRunView(run.stage, run.suite, run.attempt, run.outcome().wireValue(), run.reason,
                    run.startedAt, run.finishedAt, run.durationMs());
        }
    }

    /** Every suite run against the artifact in any stage, in the order they finished; [] when none ran. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<SuiteRunView>> list(@PathParam("application") String application,
                                        @PathParam("digest") String digest) {
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
        return suiteRuns.runsOf(application, parsed).map(runs -> runs.stream().map(SuiteRunView::of).toList());
    }
}
