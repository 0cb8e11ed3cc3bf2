package dev.promoter.test.suite;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.cloudevents.HttpCloudEvent;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code POST /api/v1/events} on the test service: a CDEvents {@code testsuiterun.finished} in the CloudEvents HTTP
 * binding, binary ({@code application/json}, {@code ce-*} headers, the CDEvent as body) or structured
 * ({@code application/cloudevents+json}, the CDEvent as {@code data} or {@code data_base64}), read by
 * {@link HttpCloudEvent}, reports the result of an external suite with source {@code cdevents}. Other event
 * types are answered 202 "ignored".
 */
@Path("/api/v1/events")
public class TestEventsResource {

    static final String TYPE_PREFIX = "dev.cdevents.testsuiterun.finished.";
    private static final int MAX_BYTES = 256 * 1024;

    private final SuiteRunService suiteRuns;
    private final Access access;

    TestEventsResource(SuiteRunService suiteRuns, Access access) {
        this.suiteRuns = suiteRuns;
        this.access = access;
    }

    /** The answer to an event: what became of it. */
    public record Receipt(String status, String type, String application, String digest, String stage, String suite,
                          Integer attempt, String outcome) {
    }

    /** Role: reporter. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(@Context HttpHeaders headers, byte[] body) {
        access.require(headers.getHeaderString(HttpHeaders.AUTHORIZATION), Role.REPORTER);
        if (body != null && body.length > MAX_BYTES) {
            throw new ProblemException(413, "Content Too Large", "the event is " + body.length + " bytes, more than the "
                    + MAX_BYTES + " bytes taken");
        }
        HttpCloudEvent event = HttpCloudEvent.read(headers, body);
        String type = event.type();
        if (!type.startsWith(TYPE_PREFIX)) {
            return ignored(type);
        }
        Reported reported = Reported.of(event.data());
        Digest digest = TestResultsResource.requireSuite(reported.application(), reported.digest(), reported.stage(),
                reported.suite(), "a testsuiterun.finished CDEvent with subject.content.environment.id (the stage),"
                        + " subject.content.testSuite.id (the suite) and customData.application and customData.digest");
        return suiteRuns.report(reported.application(), digest, reported.stage(), reported.suite(),
                        ExternalSuitePolicy.CDEVENTS, reported.verdict())
                .map(attempt -> Response.ok(new Receipt("recorded", type, reported.application(), digest.value(),
                        reported.stage(), reported.suite(), attempt, reported.verdict().outcome().wireValue())).build());
    }

    private static Uni<Response> ignored(String type) {
        return Uni.createFrom().item(Response.accepted(new Receipt("ignored", type, null, null, null, null, null, null))
                .build());
    }

    /** What a testsuiterun.finished CDEvent says, read leniently: only what the result needs. */
    record Reported(String application, String digest, String stage, String suite, SuiteRunVerdict verdict) {

        static Reported of(JsonNode cdEvent) {
            JsonNode content = cdEvent.path("subject").path("content");
            JsonNode custom = cdEvent.path("customData");
            String outcomeText = content.path("outcome").asText(null);
            Outcome outcome;
            try {
                outcome = Outcome.fromWireValue(outcomeText);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("subject.content.outcome: " + e.getMessage(), List.of());
            }
            String reason = content.path("reason").asText(null);
            reason = reason == null || reason.isBlank() ? null : reason;
            SuiteRunVerdict verdict = switch (outcome) {
                case SUCCESS -> SuiteRunVerdict.of(List.of());
                case FAILURE -> {
                    String why = reason == null ? "reported failed, without a reason" : reason;
                    yield new SuiteRunVerdict(Outcome.FAILURE, List.of(why), why);
                }
                case ERROR -> SuiteRunVerdict.errored(reason == null ? "reported an error, without a reason" : reason);
                case CANCEL -> new SuiteRunVerdict(Outcome.CANCEL, List.of(), reason == null ? "reported cancelled" : reason);
            };
            return new Reported(text(custom, "application"), text(custom, "digest"),
                    text(content.path("environment"), "id"), text(content.path("testSuite"), "id"), verdict);
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || !value.isTextual() ? null : value.textValue();
        }
    }
}
