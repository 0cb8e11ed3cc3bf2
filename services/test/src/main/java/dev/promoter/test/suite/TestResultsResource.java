package dev.promoter.test.suite;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.test.config.TestConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/test-results?application=&digest=&stage=&suite=}: a test job (Jenkins, any CI) reports the JUnit
 * XML of the external suite a stage waits for.
 */
@Path("/api/v1/test-results")
public class TestResultsResource {

    private static final Logger LOG = Logger.getLogger(TestResultsResource.class);
    // The contracts' rule for names: applications, stages and suites are Kafka keys and API path segments.
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SuiteRunService suiteRuns;
    private final Access access;
    private final int maxBytes;

    TestResultsResource(SuiteRunService suiteRuns, TestConfig config, Access access) {
        this.suiteRuns = suiteRuns;
        this.access = access;
        this.maxBytes = config.junitMaxBytes();
    }

    /** What the service made of a report: the suite run it recorded. */
    public record Recorded(String application, String digest, String stage, String suite, int attempt, String outcome,
                           String reason) {
    }

    /** Role: reporter. */
    @POST
    @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Recorded> report(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @QueryParam("application") String application, @QueryParam("digest") String digest,
                                @QueryParam("stage") String stage, @QueryParam("suite") String suite, byte[] xml) {
        String caller = access.require(authorization, Role.REPORTER).name();
        Digest artifact = requireSuite(application, digest, stage, suite, "/api/v1/test-results?application=<application>"
                + "&digest=sha256:<64 hex>&stage=<stage>&suite=<suite>");
        if (xml == null || xml.length == 0) {
            throw ProblemException.badRequest("send the JUnit XML report as the body (Content-Type: application/xml)",
                    List.of());
        }
        if (xml.length > maxBytes) {
            throw new ProblemException(413, "Content Too Large", "the report is " + xml.length + " bytes, more than the "
                    + maxBytes + " bytes taken; send the report of this suite only");
        }
        JUnitReport report;
        try {
            report = JUnitReport.parse(xml);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage(), List.of());
        }
        SuiteRunVerdict verdict = report.passed() ? SuiteRunVerdict.of(List.of())
                : new SuiteRunVerdict(Outcome.FAILURE, List.of(report.reason()), report.reason());
        LOG.infof("%s reports JUnit results of suite %s (%d test cases) for %s in stage %s", caller, suite,
                report.tests(), application, stage);
        return suiteRuns.report(application, artifact, stage, suite, ExternalSuitePolicy.JUNIT, verdict)
                .map(attempt -> new Recorded(application, artifact.value(), stage, suite, attempt,
                        verdict.outcome().wireValue(), verdict.reason()));
    }

    /** Checks the names of a suite run; a 400 naming every bad field and how the call looks. */
    static Digest requireSuite(String application, String digest, String stage, String suite, String shape) {
        List<String> errors = new ArrayList<>();
        name(application, "application", errors);
        name(stage, "stage", errors);
        name(suite, "suite", errors);
        Digest parsed = null;
        try {
            parsed = Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            errors.add("digest: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the call names no valid suite run; use " + shape, errors);
        }
        return parsed;
    }

    private static void name(String value, String field, List<String> errors) {
        if (value == null || !NAME.matcher(value).matches()) {
            errors.add(field + ": must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
