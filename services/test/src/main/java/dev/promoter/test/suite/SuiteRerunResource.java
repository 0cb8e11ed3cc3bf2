package dev.promoter.test.suite;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/v1/applications/{application}/artifacts/{digest}/stages/{stage}/suites/{suite}/runs}: an operator
 * (role: releaser) runs one suite again against the artifact the stage runs; the new attempt supersedes the earlier results.
 */
@Path("/api/v1/applications/{application}/artifacts/{digest}/stages/{stage}/suites/{suite}/runs")
public class SuiteRerunResource {

    private final SuiteRunService suiteRuns;
    private final Access access;

    SuiteRerunResource(SuiteRunService suiteRuns, Access access) {
        this.suiteRuns = suiteRuns;
        this.access = access;
    }

    /** The attempt the re-run started. */
    public record Started(String application, String digest, String stage, String suite, int attempt) {
    }

    /** Role: releaser. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> rerun(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("application") String application, @PathParam("digest") String digest,
                               @PathParam("stage") String stage, @PathParam("suite") String suite) {
        String caller = access.require(authorization, Role.RELEASER).name();
        Digest artifact = TestResultsResource.requireSuite(application, digest, stage, suite,
                "/api/v1/applications/<application>/artifacts/sha256:<64 hex>/stages/<stage>/suites/<suite>/runs");
        return suiteRuns.rerun(application, artifact, stage, suite, caller)
                .map(attempt -> Response.accepted(new Started(application, artifact.value(), stage, suite, attempt))
                        .build());
    }
}
