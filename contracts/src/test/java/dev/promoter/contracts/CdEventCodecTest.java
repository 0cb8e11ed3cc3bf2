package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.GoldenSamples.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CdEventCodecTest {

    private static final Sample TEST_RESULT = GoldenSamples.TESTSUITERUN_FINISHED;
    private static final Sample PROMOTION = GoldenSamples.SERVICE_UPGRADED;

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

    static Stream<StagePolicy> policies() {
        return Stream.of(GoldenSamples.DEV_POLICY, GoldenSamples.PROD_POLICY, Examples.EMPTY_POLICY,
                Examples.HEALTH_ONLY_POLICY, Examples.SEVERAL_SUITES_POLICY);
    }

    @ParameterizedTest
    @MethodSource("policies")
    void roundTripsEveryShapeOfStagePolicyInBothPromotionEvents(StagePolicy policy) {
        ServiceDeployed deployed = new ServiceDeployed(GoldenSamples.APPLICATION, GoldenSamples.REPOSITORY, "dev",
                GoldenSamples.DIGEST, null, null, null, policy);
        ServiceUpgraded upgraded = new ServiceUpgraded(GoldenSamples.APPLICATION, GoldenSamples.REPOSITORY, "prod",
                GoldenSamples.DIGEST, GoldenSamples.PREVIOUS_DIGEST, null, null, policy);

        assertThat(CdEventCodec.decode(CdEventCodec.encode(deployed, PROMOTION.context())).event())
                .isEqualTo(deployed);
        assertThat(CdEventCodec.decode(CdEventCodec.encode(upgraded, PROMOTION.context())).event())
                .isEqualTo(upgraded);
    }

    @Test
    void writesThePolicyInCustomDataAsDocumented() {
        JsonNode policy = Examples.encodedTree(PROMOTION).at("/customData/policy");

        assertThat(policy).isEqualTo(Examples.tree(("""
                {"suites": [{"name": "image-checks", "kind": "image-checks",
                             "requiredLabels": ["org.opencontainers.image.revision"], "nonRoot": true,
                             "maxSizeBytes": 524288000, "retries": 0, "allowedPlatforms": [],
                             "baseImageDigests": []}],
                 "health": {"url": "http://127.0.0.1:18080/stages/prod/health", "intervalMs": 1000,
                            "timeoutMs": 500, "failureThreshold": 3, "successThreshold": 1, "gracePeriodMs": 2000},
                 "slackChannel": "C0RELEASES",
                 "deployHook": {"url": "http://127.0.0.1:18080/hooks/prod", "secret": "prod-runtime"},
                 "drift": "restore"}
                """).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void leavesHealthOutWhenTheStageHasNone() {
        JsonNode policy = Examples.encodedTree(GoldenSamples.SERVICE_DEPLOYED).at("/customData/policy");

        assertThat(policy.has("health")).isFalse();
        assertThat(Examples.encodedTree(variant("service-deployed-minimal")).at("/customData/policy"))
                .isEqualTo(Examples.tree("{\"suites\":[]}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsAHealthOfJsonNullAsNoHealthChecks() {
        byte[] json = Examples.mutated(PROMOTION, root -> policy(root).putNull("health"));

        assertThat(((ServiceUpgraded) CdEventCodec.decode(json).event()).policy().health()).isNull();
    }

    @Test
    void readsASuiteKindItDoesNotKnowSoTheConsumerCanReportIt() {
        byte[] json = Examples.mutated(PROMOTION, root -> suite(root, 0).put("kind", "chaos-monkey"));

        assertThat(((ServiceUpgraded) CdEventCodec.decode(json).event()).policy().suites())
                .extracting(SuitePolicy::kind).containsExactly("chaos-monkey");
    }

    @Test
    void refusesAPromotionWithoutPolicy() {
        assertUnreadable(Examples.mutated(PROMOTION, root -> customData(root).remove("policy")),
                "customData.policy is missing");
        assertUnreadable(Examples.mutated(GoldenSamples.SERVICE_DEPLOYED, root -> customData(root).putNull("policy")),
                "customData.policy is missing");
        assertUnreadable(Examples.mutated(PROMOTION, root -> policy(root).remove("suites")),
                "customData.policy.suites is missing");
        assertUnreadable(Examples.mutated(PROMOTION, root -> suite(root, 0).remove("maxSizeBytes")),
                "customData.policy.suites[0].maxSizeBytes is missing");
        assertUnreadable(Examples.mutated(PROMOTION, root -> health(root).remove("gracePeriodMs")),
                "customData.policy.health.gracePeriodMs is missing");
    }

    @Test
    void refusesAPolicyMemberOfTheWrongTypeNamingItsPath() {
        assertUnreadable(Examples.mutated(PROMOTION, root -> customData(root).put("policy", "strict")),
                "customData.policy must be an object, got string");
        assertUnreadable(Examples.mutated(PROMOTION, root -> policy(root).putObject("suites")),
                "customData.policy.suites must be an array, got object");
        assertUnreadable(Examples.mutated(PROMOTION, root -> ((ArrayNode) policy(root).get("suites")).add("smoke")),
                "customData.policy.suites[1] must be an object, got string");
        assertUnreadable(Examples.mutated(PROMOTION, root -> suite(root, 0).put("maxSizeBytes", "524288000")),
                "customData.policy.suites[0].maxSizeBytes must be an integer, got string");
        assertUnreadable(Examples.mutated(PROMOTION, root -> suite(root, 0).put("maxSizeBytes", 5.5e8)),
                "customData.policy.suites[0].maxSizeBytes must be an integer, got number");
        assertUnreadable(Examples.mutated(PROMOTION, root -> suite(root, 0).put("nonRoot", "true")),
                "customData.policy.suites[0].nonRoot must be a boolean, got string");
        assertUnreadable(Examples.mutated(PROMOTION, root -> suite(root, 0).put("requiredLabels", "a,b")),
                "customData.policy.suites[0].requiredLabels must be an array, got string");
        assertUnreadable(Examples.mutated(PROMOTION,
                        root -> ((ArrayNode) suite(root, 0).get("requiredLabels")).addNull()),
                "customData.policy.suites[0].requiredLabels[1] must be a string, got null");
        assertUnreadable(Examples.mutated(PROMOTION, root -> suite(root, 0).put("kind", 7)),
                "customData.policy.suites[0].kind must be a string, got number");
        assertUnreadable(Examples.mutated(PROMOTION, root -> policy(root).putArray("health")),
                "customData.policy.health must be an object, got array");
        assertUnreadable(Examples.mutated(PROMOTION, root -> health(root).put("intervalMs", "1s")),
                "customData.policy.health.intervalMs must be an integer, got string");
        assertUnreadable(Examples.mutated(PROMOTION, root -> health(root).put("failureThreshold", 3_000_000_000L)),
                "customData.policy.health.failureThreshold must be an integer, got number");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/suites/0 | maxSizeBytes | 0 | policy.suites[0].maxSizeBytes must be more than 0, got 0",
        "/suites/0 | kind | \"Image-Checks\" | policy.suites[0].kind must be 1 to 64 lowercase letters",
        "/suites/0 | name | \"image checks\" | policy.suites[0].name must be 1 to 128 letters",
        "/suites/0 | requiredLabels | [\"\"] | policy.suites[0].requiredLabels[0] must not be blank",
        "/health | url | \"ftp://127.0.0.1/health\" | policy.health.url must be an absolute http:// or https://",
        "/health | url | \"http://127.0.0.1/a b\" | policy.health.url must be an absolute http:// or https://",
        "/health | timeoutMs | 1000 | policy.health.timeout must be shorter than interval (1000 ms), got 1000 ms",
        "/health | intervalMs | 0 | policy.health.interval must be more than 0, got 0 ms",
        "/health | successThreshold | 0 | policy.health.successThreshold must be 1 or more, got 0",
        "/health | gracePeriodMs | -1 | policy.health.gracePeriod must be 0 or more, got -1 ms"})
    void refusesPolicyValuesTheRecordsRejectNamingTheirPlace(String object, String member, String value,
                                                             String reason) {
        byte[] json = Examples.mutated(PROMOTION,
                root -> ((ObjectNode) policy(root).at(object)).set(member, Examples.tree(value.getBytes(
                        StandardCharsets.UTF_8))));

        assertUnreadable(json, "customData is not a valid ServiceUpgraded: " + reason);
    }

    @Test
    void refusesTwoSuitesOfOneName() {
        byte[] json = Examples.mutated(PROMOTION, root -> {
            ArrayNode suites = (ArrayNode) policy(root).get("suites");
            suites.add(suites.get(0).deepCopy());
        });

        assertUnreadable(json, "customData is not a valid ServiceUpgraded: policy.suites[1] has the name"
                + " 'image-checks' of suites[0]; give every suite of a stage its own name");
    }

    @Test
    void ignoresPolicyMembersAddedByALaterMinorVersion() {
        byte[] json = Examples.mutated(PROMOTION, root -> {
            policy(root).put("soakMinutes", 30);
            suite(root, 0).putArray("forbiddenPackages").add("openssl@1.0");
            health(root).put("method", "HEAD");
        });

        assertThat(CdEventCodec.decode(json).event()).isEqualTo(PROMOTION.event());
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

    private static ObjectNode policy(ObjectNode root) {
        return (ObjectNode) customData(root).get("policy");
    }

    private static ObjectNode suite(ObjectNode root, int index) {
        return (ObjectNode) policy(root).get("suites").get(index);
    }

    private static ObjectNode health(ObjectNode root) {
        return (ObjectNode) policy(root).get("health");
    }

    private static Sample variant(String name) {
        return Examples.all().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertUnreadable(byte[] json, String reasonPart) {
        assertThatThrownBy(() -> CdEventCodec.decode(json))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining(reasonPart)
                .satisfies(e -> assertThat(((UnreadableEventException) e).reason()).isEqualTo(e.getMessage()));
    }
}
