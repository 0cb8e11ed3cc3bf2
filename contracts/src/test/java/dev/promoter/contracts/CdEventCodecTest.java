package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.GoldenSamples.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CdEventCodecTest {

    private static final Sample TEST_RESULT = GoldenSamples.TESTSUITERUN_FINISHED;

    static Stream<Sample> examples() {
        return Examples.all();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void decodesWhatItEncodes(Sample sample) {
        byte[] json = CdEventCodec.encode(sample.event(), sample.context());

        assertThat(CdEventCodec.decode(json)).isEqualTo(new DecodedEvent(sample.context(), sample.event()));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void writesTheCdEventsEnvelopeWithTheWholeRecordInCustomData(Sample sample) {
        JsonNode json = Examples.encodedTree(sample);

        assertThat(json.at("/context/specversion").textValue()).isEqualTo("0.5.1");
        assertThat(json.at("/context/id").textValue()).isEqualTo(sample.context().id());
        assertThat(json.at("/context/source").textValue()).isEqualTo(sample.context().source().toString());
        assertThat(json.at("/context/type").textValue()).isEqualTo(sample.event().type());
        assertThat(Instant.parse(json.at("/context/timestamp").textValue())).isEqualTo(sample.context().timestamp());
        assertThat(json.at("/context/chainId").textValue()).isEqualTo(sample.context().chainId());
        assertThat(json.at("/subject/id").textValue()).isEqualTo(sample.event().subjectId());
        assertThat(json.at("/customData/application").textValue()).isEqualTo(sample.event().application());
        assertThat(json.at("/customDataContentType").textValue()).isEqualTo("application/json");
    }

    @Test
    void testSuiteRunContentCarriesOutcomeStageAndSuiteTheCdEventsWay() {
        Sample failure = Examples.all().filter(s -> s.name().equals("testsuiterun-finished-failure")).findFirst()
                .orElseThrow();

        JsonNode content = Examples.encodedTree(failure).at("/subject/content");

        assertThat(content).isEqualTo(Examples.tree(("{\"outcome\":\"failure\",\"environment\":{\"id\":\"stage\"},"
                + "\"testSuite\":{\"id\":\"smoke-http\",\"name\":\"smoke-http\"},"
                + "\"reason\":\"GET http://127.0.0.1:9401/health answered 503\"}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void serviceContentNamesTheStageAndTheArtifactItNowRuns() {
        JsonNode content = Examples.encodedTree(GoldenSamples.SERVICE_ROLLEDBACK).at("/subject/content");

        assertThat(content.at("/environment/id").textValue()).isEqualTo("prod");
        assertThat(ArtifactId.parse(content.at("/artifactId").textValue()))
                .isEqualTo(ArtifactId.of(GoldenSamples.REPOSITORY, GoldenSamples.PREVIOUS_DIGEST));
    }

    @Test
    void knowsExactlyTheTypesOfItsRecords() {
        assertThat(GoldenSamples.all()).allSatisfy(s -> assertThat(CdEventCodec.isKnownType(s.event().type())).isTrue());
        assertThat(CdEventCodec.isKnownType("dev.cdevents.build.finished.0.3.0")).isFalse();
        assertThat(CdEventCodec.isKnownType("dev.cdevents.artifact.published.0.2.0")).isFalse();
        assertThat(CdEventCodec.isKnownType(null)).isFalse();
    }

    @Test
    void reportsAnUnknownTypeAsUnknownNotUnreadable() {
        byte[] json = Examples.mutated(TEST_RESULT,
                root -> ((ObjectNode) root.get("context")).put("type", "dev.cdevents.build.finished.0.3.0"));

        assertThatThrownBy(() -> CdEventCodec.decode(json))
                .isInstanceOf(UnknownEventTypeException.class)
                .isNotInstanceOf(UnreadableEventException.class)
                .hasMessage("unknown event type 'dev.cdevents.build.finished.0.3.0'")
                .satisfies(e -> assertThat(((UnknownEventTypeException) e).type())
                        .isEqualTo("dev.cdevents.build.finished.0.3.0"));
    }

    @Test
    void anUnknownTypeIsSkippableEvenWhenTheRestIsNotOurShape() {
        byte[] json = "{\"context\":{\"type\":\"dev.cdevents.change.merged.0.3.0\"},\"subject\":42}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CdEventCodec.decode(json)).isInstanceOf(UnknownEventTypeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "garbage", "{\"context\":", "[]", "42", "null", "\"text\"", "{}{}"})
    void refusesBytesThatAreNotOneJsonObject(String value) {
        assertUnreadable(value.getBytes(StandardCharsets.UTF_8), "");
    }

    @Test
    void refusesBinaryGarbage() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x13, (byte) 0x80, 0x7b, 0x22};

        assertUnreadable(garbage, "not valid JSON");
    }

    @Test
    void refusesARecordWithoutValue() {
        assertUnreadable(null, "the record has no value");
    }

    @Test
    void refusesDuplicateKeysRatherThanGuessingWhichOneCounts() {
        byte[] json = new String(CdEventCodec.encode(TEST_RESULT.event(), TEST_RESULT.context()),
                StandardCharsets.UTF_8).replaceFirst("\\{", "{\"customDataContentType\":\"text/plain\",")
                .getBytes(StandardCharsets.UTF_8);

        assertUnreadable(json, "Duplicate field 'customDataContentType'");
    }

    @Test
    void refusesMissingContext() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> root.remove("context")), "context is missing");
    }

    @Test
    void refusesMissingType() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> ((ObjectNode) root.get("context")).remove("type")),
                "context.type is missing");
    }

    @Test
    void refusesATypeThatIsNotAString() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> ((ObjectNode) root.get("context")).put("type", 7)),
                "context.type must be a string, got number");
    }

    @Test
    void refusesMissingContextFields() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> ((ObjectNode) root.get("context")).remove("id")),
                "context.id is missing");
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> ((ObjectNode) root.get("context")).remove("chainId")),
                "context.chainId is missing");
        assertUnreadable(
                Examples.mutated(TEST_RESULT, root -> ((ObjectNode) root.get("context")).remove("specversion")),
                "context.specversion is missing");
    }

    @Test
    void refusesABadTimestampOrSource() {
        assertUnreadable(Examples.mutated(TEST_RESULT,
                        root -> ((ObjectNode) root.get("context")).put("timestamp", "yesterday")),
                "context.timestamp must be an RFC 3339 date-time, got 'yesterday'");
        assertUnreadable(Examples.mutated(TEST_RESULT,
                        root -> ((ObjectNode) root.get("context")).put("source", "/promoter/test service")),
                "context.source must be a URI reference, got '/promoter/test service'");
    }

    @Test
    void readsATimestampWithAnOffset() {
        byte[] json = Examples.mutated(TEST_RESULT,
                root -> ((ObjectNode) root.get("context")).put("timestamp", "2026-03-02T11:00:09+01:00"));

        assertThat(CdEventCodec.decode(json).context().timestamp()).isEqualTo(TEST_RESULT.context().timestamp());
    }

    @Test
    void refusesMissingSubjectContent() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> ((ObjectNode) root.get("subject")).remove("content")),
                "subject.content is missing");
    }

    @Test
    void refusesMissingCustomData() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> root.remove("customData")), "customData is missing");
    }

    @Test
    void refusesMissingFieldInCustomData() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> customData(root).remove("digest")),
                "customData.digest is missing");
    }

    @Test
    void refusesAFieldOfTheWrongType() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> customData(root).put("attempt", "1")),
                "customData.attempt must be an integer, got string");
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> customData(root).put("attempt", 1.5)),
                "customData.attempt must be an integer, got number");
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> customData(root).putArray("stage")),
                "customData.stage must be a string, got array");
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> root.put("customData", "e30=")),
                "customData must be an object, got string");
    }

    @Test
    void refusesValuesTheRecordRejectsAndSaysWhy() {
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> customData(root).put("digest", "sha256:ABC")),
                "customData is not a valid TestSuiteRunFinished: digest must be 'sha256:' followed by 64 lowercase"
                        + " hex characters (the hex part has 3), got 'sha256:ABC'");
        assertUnreadable(Examples.mutated(TEST_RESULT, root -> customData(root).put("outcome", "passed")),
                "customData is not a valid TestSuiteRunFinished: outcome must be one of"
                        + " success|failure|error|cancel, got 'passed'");
        assertUnreadable(Examples.mutated(GoldenSamples.SERVICE_DEPLOYED,
                        root -> customData(root).put("previousDigest", GoldenSamples.PREVIOUS_DIGEST.value())),
                "previousDigest must be null for a first deployment");
    }

    @Test
    void cutsLongReasonsShortSoDeadLetterHeadersStaySmall() {
        String huge = "x".repeat(100_000);

        assertThatThrownBy(() -> CdEventCodec.decode(Examples.mutated(TEST_RESULT,
                root -> customData(root).put("outcome", huge))))
                .isInstanceOf(UnreadableEventException.class)
                .satisfies(e -> assertThat(((UnreadableEventException) e).reason()).hasSizeLessThanOrEqualTo(203));
        assertThatThrownBy(() -> CdEventCodec.decode(huge.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class)
                .satisfies(e -> assertThat(((UnreadableEventException) e).reason()).hasSizeLessThanOrEqualTo(203));
    }

    @Test
    void ignoresFieldsAddedByALaterMinorVersion() {
        byte[] json = Examples.mutated(TEST_RESULT, root -> {
            customData(root).put("durationMs", 8123);
            ((ObjectNode) root.get("context")).put("schemaUri", "https://promoter.example/schemas/x");
        });

        assertThat(CdEventCodec.decode(json).event()).isEqualTo(TEST_RESULT.event());
    }

    @Test
    void aSpecExampleWithoutOurCustomDataIsAKnownTypeButUnreadable() {
        byte[] specExample = Schemas.readTree("cdevents-v0.5.1/conformance/service_deployed.json").toString()
                .getBytes(StandardCharsets.UTF_8);

        assertUnreadable(specExample, "customData is missing");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void cloudEventAttributesFollowTheCdEventsBinding(Sample sample) {
        JsonNode json = Examples.encodedTree(sample);

        CloudEventAttributes ce = CdEventCodec.cloudEventAttributes(sample.event(), sample.context());

        assertThat(ce.id()).isEqualTo(json.at("/context/id").textValue());
        assertThat(ce.source()).hasToString(json.at("/context/source").textValue());
        assertThat(ce.type()).isEqualTo(json.at("/context/type").textValue());
        assertThat(ce.subject()).isEqualTo(json.at("/subject/id").textValue());
        assertThat(ce.time()).isEqualTo(Instant.parse(json.at("/context/timestamp").textValue()));
        assertThat(ce.dataContentType()).isEqualTo("application/json");
        assertThat(ce.partitionKey()).isEqualTo(sample.event().application());
    }

    @Test
    void kafkaHeadersAreTheBinaryModeOfTheKafkaBinding() {
        Sample sample = GoldenSamples.SERVICE_ROLLEDBACK;

        Map<String, String> headers = CdEventCodec.cloudEventAttributes(sample.event(), sample.context())
                .kafkaHeaders();

        assertThat(headers).containsExactly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "6f1c2b7e-0005-4e6a-9d3b-000000000005"),
                Map.entry("ce_source", "/promoter/rollback"),
                Map.entry("ce_type", "dev.cdevents.service.rolledback.0.3.0"),
                Map.entry("ce_subject", "cart/prod"),
                Map.entry("ce_time", "2026-03-02T11:31:30Z"),
                Map.entry("ce_partitionkey", "cart"),
                Map.entry("content-type", "application/json"));
    }

    private static ObjectNode customData(ObjectNode root) {
        return (ObjectNode) root.get("customData");
    }

    private static void assertUnreadable(byte[] json, String reasonPart) {
        assertThatThrownBy(() -> CdEventCodec.decode(json))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining(reasonPart)
                .satisfies(e -> assertThat(((UnreadableEventException) e).reason()).isEqualTo(e.getMessage()));
    }
}
