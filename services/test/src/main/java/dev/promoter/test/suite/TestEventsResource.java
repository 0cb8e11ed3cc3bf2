package dev.promoter.test.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.kit.BearerTokens;
import dev.promoter.kit.ProblemException;
import dev.promoter.test.config.TestConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/v1/events} on the test service: a CDEvents {@code testsuiterun.finished} in the CloudEvents HTTP
 * binding, binary ({@code ce-*} headers, the CDEvent as body) or structured ({@code application/cloudevents+json},
 * the CDEvent as {@code data}), reports the result of an external suite with source {@code cdevents}. Other event
 * types are answered 202 "ignored".
 */
@Path("/api/v1/events")
public class TestEventsResource {

    static final String TYPE_PREFIX = "dev.cdevents.testsuiterun.finished.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 256 * 1024;

    private final SuiteRunService suiteRuns;
    private final BearerTokens tokens;

    TestEventsResource(SuiteRunService suiteRuns, TestConfig config) {
        this.suiteRuns = suiteRuns;
        this.tokens = new BearerTokens(config.apiTokens());
    }

    /** The answer to an event: what became of it. */
    public record Receipt(String status, String type, String application, String digest, String stage, String suite,
                          Integer attempt, String outcome) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(@Context HttpHeaders headers, byte[] body) {
        tokens.require(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("send a CloudEvent: binary mode (ce-specversion, ce-id, ce-source,"
                    + " ce-type headers and the CDEvent as body) or structured mode (application/cloudevents+json)",
                    List.of());
        }
        if (body.length > MAX_BYTES) {
            throw new ProblemException(413, "Content Too Large", "the event is " + body.length + " bytes, more than the "
                    + MAX_BYTES + " bytes taken");
        }
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        boolean structured = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
        JsonNode cdEvent;
        String type;
        if (structured) {
            JsonNode envelope = read(body, "the structured CloudEvent");
            requireAttributes(envelope.path("specversion").asText(null), envelope.path("id").asText(null),
                    envelope.path("source").asText(null), envelope.path("type").asText(null), "");
            type = envelope.get("type").asText();
            if (!type.startsWith(TYPE_PREFIX)) {
                return ignored(type);
            }
            cdEvent = envelope.has("data_base64")
                    ? read(decodeBase64(envelope.get("data_base64").asText()), "data_base64")
                    : envelope.path("data");
        } else {
            requireAttributes(headers.getHeaderString("ce-specversion"), headers.getHeaderString("ce-id"),
                    headers.getHeaderString("ce-source"), headers.getHeaderString("ce-type"), "ce-");
            type = headers.getHeaderString("ce-type");
            if (!type.startsWith(TYPE_PREFIX)) {
                return ignored(type);
            }
            cdEvent = read(body, "the CDEvent in the body");
        }
        Reported reported = Reported.of(cdEvent);
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

    private static void requireAttributes(String specVersion, String id, String source, String type, String prefix) {
        List<String> missing = new java.util.ArrayList<>();
        if (!"1.0".equals(specVersion)) {
            missing.add(prefix + "specversion: must be 1.0");
        }
        if (id == null || id.isBlank()) {
            missing.add(prefix + "id: is required");
        }
        if (source == null || source.isBlank()) {
            missing.add(prefix + "source: is required");
        }
        if (type == null || type.isBlank()) {
            missing.add(prefix + "type: is required");
        }
        if (!missing.isEmpty()) {
            throw ProblemException.badRequest("not a CloudEvent 1.0: binary mode needs the ce-specversion, ce-id,"
                    + " ce-source and ce-type headers, structured mode (Content-Type application/cloudevents+json)"
                    + " those attributes in the body", missing);
        }
    }

    private static JsonNode read(byte[] json, String what) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw ProblemException.badRequest(what + " must be a JSON object", List.of());
            }
            return tree;
        } catch (IOException e) {
            throw ProblemException.badRequest(what + " is not JSON", List.of());
        }
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("data_base64 is not base64", List.of());
        }
    }

    /** What a testsuiterun.finished CDEvent says, read leniently: only what the result needs. */
    record Reported(String application, String digest, String stage, String suite, SuiteVerdict verdict) {

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
            SuiteVerdict verdict = switch (outcome) {
                case SUCCESS -> SuiteVerdict.of(List.of());
                case FAILURE -> {
                    String why = reason == null ? "reported failed, without a reason" : reason;
                    yield new SuiteVerdict(Outcome.FAILURE, List.of(why), why);
                }
                case ERROR -> SuiteVerdict.errored(reason == null ? "reported an error, without a reason" : reason);
                case CANCEL -> new SuiteVerdict(Outcome.CANCEL, List.of(), reason == null ? "reported cancelled" : reason);
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
