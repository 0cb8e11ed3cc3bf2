package dev.promoter.test.suite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.HttpSmokePolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.TopicReader;
import dev.promoter.testinfra.TopicWriter;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The suites that do not finish inside the promotion, against the real broker and database and a loopback HTTP
 * service standing in for the stage: HTTP smoke checks, JUnit XML and CDEvents results, deadlines, retries, re-runs
 * and cancellation by a newer digest.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class StageSuitesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "Bearer test-token";

    private PipelineFixture pipeline;
    private TopicWriter writer;
    private TopicReader results;
    private HttpServer stage;
    private URI stageUrl;
    private volatile String serving = "";
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        pipeline = PipelineFixture.open();
        writer = pipeline.writer();
        results = pipeline.reader(Topics.TEST_RESULTS);
        stage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stage.createContext("/digest", exchange -> answer(exchange, 200, serving));
        stage.createContext("/api/cart", exchange -> {
            if (failuresLeft.getAndDecrement() > 0) {
                answer(exchange, 503, "{\"status\":\"DOWN\"}");
            } else {
                answer(exchange, 200, "{\"status\":\"UP\"}");
            }
        });
        stage.start();
        stageUrl = URI.create("http://127.0.0.1:" + stage.getAddress().getPort());
    }

    @AfterEach
    void close() {
        stage.stop(0);
        pipeline.close();
    }

    @Test
    void anHttpSmokeSuitePassesOnceTheStageServesTheArtifact() {
        Digest digest = digest();
        serving = digest.value();
        writer.publish(deployed("smoke-ok", digest, "test", policy(smoke("cart-api", 0, 1))));

        assertThat(awaitResults("smoke-ok", 1)).containsExactly(
                new TestSuiteRunFinished("smoke-ok", digest, "test", "cart-api", 1, Outcome.SUCCESS, null));
        tests("smoke-ok", digest).body("[0].kind", is("http-smoke")).body("[0].phase", is("finished"))
                .body("[0].reason", nullValue());
    }

    @Test
    void anHttpSmokeSuiteFailsSayingWhichStatusCame() {
        Digest digest = digest();
        serving = digest.value();
        failuresLeft.set(100);
        writer.publish(deployed("smoke-bad", digest, "test", policy(smoke("cart-api", 0, 2))));

        assertThat(awaitResults("smoke-bad", 1)).containsExactly(new TestSuiteRunFinished("smoke-bad", digest, "test",
                "cart-api", 1, Outcome.FAILURE, "GET /api/cart answered 503, expected 200; GET /api/cart: /status is 'DOWN',"
                + " expected 'UP' (after 2 tries)"));
    }

    @Test
    void aStageAnswering503AndThenUpPassesItsSmokeCheckOnceAndTheRunIsListedAsAnOutgoingCall() {
        Digest digest = digest();
        serving = digest.value();
        failuresLeft.set(1);
        writer.publish(deployed("smoke-outage", digest, "test", policy(smoke("cart-api", 0, 3))));

        assertThat(awaitResults("smoke-outage", 1)).containsExactly(
                new TestSuiteRunFinished("smoke-outage", digest, "test", "cart-api", 1, Outcome.SUCCESS, null));
        assertNothingMoreThan("smoke-outage", 1);
        Map<String, Object> call = await().atMost(WAIT).until(() -> suiteCalls("smoke-outage"),
                calls -> calls.size() == 1 && "SUCCEEDED".equals(calls.get(0).get("status"))).get(0);
        assertThat(call.get("key")).isEqualTo("smoke-outage/test/cart-api/" + digest.value() + "#1");
        assertThat(call.get("target")).isEqualTo("http-smoke:cart-api");
        assertThat(call.get("attempts")).isEqualTo(1);
        assertThat(call.get("lastOutcome")).isEqualTo("suite cart-api attempt 1: success");
        // Delivered: nothing for a person to retry.
        given().auth().oauth2("operator-token").post("/api/v1/outgoing-calls/" + call.get("id") + "/retry").then()
                .statusCode(409);
    }

    @Test
    void aStageServingAnotherDigestFailsTheSmokeCheckWithoutCallingIt() {
        Digest digest = digest();
        serving = digest().value();
        writer.publish(deployed("smoke-other", digest, "test", policy(smoke("cart-api", 0, 1))));

        assertThat(awaitResults("smoke-other", 1).get(0).reason())
                .isEqualTo("the stage serves " + serving + " at /digest, not " + digest.value());
        assertThat(failuresLeft).hasValue(0);
    }

    @Test
    void explicitRetriesRunAFlakySuiteAgainAndKeepTheFailedAttemptOnRecord() {
        Digest digest = digest();
        serving = digest.value();
        failuresLeft.set(1);
        writer.publish(deployed("flaky", digest, "test", policy(smoke("cart-api", 1, 1))));

        assertThat(awaitResults("flaky", 2)).extracting(TestSuiteRunFinished::attempt, TestSuiteRunFinished::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Outcome.FAILURE),
                        org.assertj.core.groups.Tuple.tuple(2, Outcome.SUCCESS));
    }

    @Test
    void anOperatorReRunsAFailedSuiteAndTheNewAttemptIsRecorded() {
        Digest digest = digest();
        serving = digest.value();
        failuresLeft.set(1);
        writer.publish(deployed("rerun", digest, "test", policy(smoke("cart-api", 0, 1))));
        assertThat(awaitResults("rerun", 1).get(0).outcome()).isEqualTo(Outcome.FAILURE);

        given().header("Authorization", TOKEN)
                .post("/api/v1/applications/rerun/artifacts/" + digest.value() + "/stages/test/suites/cart-api/runs")
                .then().statusCode(202).body("attempt", is(2));

        assertThat(awaitResults("rerun", 2).get(1)).isEqualTo(
                new TestSuiteRunFinished("rerun", digest, "test", "cart-api", 2, Outcome.SUCCESS, null));
    }

    @Test
    void aReRunOfAnArtifactTheStageNoLongerRunsIsRefusedAndStartsNothing() {
        Digest older = digest();
        Digest newer = digest();
        writer.publish(deployed("rerun-old", older, "test", policy(external("it", "junit", Duration.ofMinutes(5)))));
        writer.publish(upgraded("rerun-old", newer, older, "test", policy(external("it", "junit",
                Duration.ofMinutes(5)))));
        awaitResults("rerun-old", 1);

        given().header("Authorization", TOKEN)
                .post("/api/v1/applications/rerun-old/artifacts/" + older.value() + "/stages/test/suites/it/runs")
                .then().statusCode(409).body("detail", startsWith("stage test of rerun-old runs " + newer.value()));
        given().post("/api/v1/applications/rerun-old/artifacts/" + newer.value() + "/stages/test/suites/it/runs")
                .then().statusCode(401);

        assertNothingMoreThan("rerun-old", 1);
    }

    @Test
    void aJenkinsJobReportsARealPassingSurefireReport() {
        Digest digest = digest();
        writer.publish(deployed("junit-ok", digest, "test", policy(external("it", "junit", Duration.ofMinutes(5)))));
        await().atMost(WAIT).untilAsserted(() -> tests("junit-ok", digest).body("[0].phase", is("pending")));

        postJUnit("junit-ok", digest, "test", "it", JUnitReportTest.resource("TEST-passing.xml"))
                .statusCode(200).body("outcome", is("success")).body("attempt", is(1));

        assertThat(awaitResults("junit-ok", 1)).containsExactly(
                new TestSuiteRunFinished("junit-ok", digest, "test", "it", 1, Outcome.SUCCESS, null));
        tests("junit-ok", digest).body("size()", is(1)).body("[0].kind", is("external"));
    }

    @Test
    void aFailingSurefireReportFailsTheSuiteNamingTheTestCases() {
        Digest digest = digest();
        writer.publish(deployed("junit-bad", digest, "test", policy(external("it", "junit", Duration.ofMinutes(5)))));
        awaitPending("junit-bad", digest);

        postJUnit("junit-bad", digest, "test", "it", JUnitReportTest.resource("TEST-failing.xml"))
                .statusCode(200).body("outcome", is("failure"));

        TestSuiteRunFinished result = awaitResults("junit-bad", 1).get(0);
        assertThat(result.outcome()).isEqualTo(Outcome.FAILURE);
        tests("junit-bad", digest).body("[0].reason", startsWith("2 of 14 test cases failed: "
                + "dev.promoter.contracts.DigestTest.parsesANullDigest (error: "));
    }

    @Test
    void anExternalSuiteWithARetryWaitsForTheNextReportAfterAFailedOne() {
        Digest digest = digest();
        SuitePolicy flaky = new SuitePolicy("it", SuitePolicy.EXTERNAL, List.of(), false, 1, 1, List.of(), List.of(),
                null, new ExternalSuitePolicy("junit", Duration.ofMinutes(5)));
        writer.publish(deployed("junit-retry", digest, "test", policy(flaky)));
        awaitPending("junit-retry", digest);

        postJUnit("junit-retry", digest, "test", "it", JUnitReportTest.resource("TEST-failing.xml"))
                .statusCode(200).body("attempt", is(1)).body("outcome", is("failure"));
        tests("junit-retry", digest).body("size()", is(2)).body("[1].attempt", is(2)).body("[1].phase", is("pending"));
        postJUnit("junit-retry", digest, "test", "it", JUnitReportTest.resource("TEST-passing.xml"))
                .statusCode(200).body("attempt", is(2)).body("outcome", is("success"));

        assertThat(awaitResults("junit-retry", 2)).extracting(TestSuiteRunFinished::attempt,
                TestSuiteRunFinished::outcome).containsExactly(org.assertj.core.groups.Tuple.tuple(1, Outcome.FAILURE),
                org.assertj.core.groups.Tuple.tuple(2, Outcome.SUCCESS));
    }

    @Test
    void anExternalSuiteWithoutAResultByItsDeadlineFailsAsTimedOutAndALateReportIsRefused() {
        Digest digest = digest();
        writer.publish(deployed("deadline", digest, "test", policy(external("it", "junit", Duration.ofSeconds(1)))));

        assertThat(awaitResults("deadline", 1)).containsExactly(new TestSuiteRunFinished("deadline", digest, "test",
                "it", 1, Outcome.FAILURE, "timed out: no junit result within 1s"));
        assertThat(await().atMost(WAIT).until(() -> suiteCalls("deadline"), calls -> calls.size() == 1
                && "SUCCEEDED".equals(calls.get(0).get("status"))).get(0).get("lastOutcome"))
                .isEqualTo("suite it attempt 1: failure — timed out: no junit result within 1s");

        postJUnit("deadline", digest, "test", "it", JUnitReportTest.resource("TEST-passing.xml")).statusCode(409);
        assertNothingMoreThan("deadline", 1);
    }

    @Test
    void aNewerDigestEnteringTheStageCancelsWhatTheOlderOneWaitsFor() {
        Digest older = digest();
        Digest newer = digest();
        StagePolicy policy = policy(external("it", "junit", Duration.ofMinutes(5)));
        writer.publish(deployed("cancel", older, "test", policy));
        awaitPending("cancel", older);

        writer.publish(upgraded("cancel", newer, older, "test", policy));

        assertThat(awaitResults("cancel", 1)).containsExactly(new TestSuiteRunFinished("cancel", older, "test", "it", 1,
                Outcome.CANCEL, "cancelled: " + newer.value() + " entered stage test"));
        awaitPending("cancel", newer);
        postJUnit("cancel", older, "test", "it", JUnitReportTest.resource("TEST-passing.xml")).statusCode(409);
        assertNothingMoreThan("cancel", 1);
    }

    @Test
    void aCdEventInBinaryModeReportsTheResult() {
        Digest digest = digest();
        writer.publish(deployed("ce-binary", digest, "test", policy(external("e2e", "cdevents",
                Duration.ofMinutes(5)))));
        awaitPending("ce-binary", digest);

        given().header("Authorization", TOKEN).header("ce-specversion", "1.0").header("ce-id", "run-1")
                .header("ce-source", "/jenkins/e2e").header("ce-type", TestSuiteRunFinished.TYPE)
                .contentType("application/json").body(cdEvent("ce-binary", digest, "e2e", "failure", "checkout broke"))
                .post("/api/v1/events")
                .then().statusCode(200).body("status", is("recorded")).body("outcome", is("failure"));

        assertThat(awaitResults("ce-binary", 1)).containsExactly(new TestSuiteRunFinished("ce-binary", digest, "test",
                "e2e", 1, Outcome.FAILURE, "checkout broke"));
    }

    @Test
    void aCdEventInStructuredModeReportsTheResult() {
        Digest digest = digest();
        writer.publish(deployed("ce-structured", digest, "test", policy(external("e2e", "cdevents",
                Duration.ofMinutes(5)))));
        awaitPending("ce-structured", digest);
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"run-2\",\"source\":\"/jenkins/e2e\",\"type\":\""
                + TestSuiteRunFinished.TYPE + "\",\"datacontenttype\":\"application/json\",\"data\":"
                + cdEvent("ce-structured", digest, "e2e", "success", null) + "}";

        given().header("Authorization", TOKEN).contentType("application/cloudevents+json; charset=UTF-8")
                .body(envelope).post("/api/v1/events").then().statusCode(200).body("status", is("recorded"));

        assertThat(awaitResults("ce-structured", 1)).containsExactly(new TestSuiteRunFinished("ce-structured", digest,
                "test", "e2e", 1, Outcome.SUCCESS, null));
    }

    @Test
    void otherEventTypesAreIgnoredAndChangeNothing() {
        Digest digest = digest();
        writer.publish(deployed("ce-other", digest, "test", policy(external("e2e", "cdevents", Duration.ofMinutes(5)))));
        awaitPending("ce-other", digest);

        given().header("Authorization", TOKEN).header("ce-specversion", "1.0").header("ce-id", "x")
                .header("ce-source", "/jenkins").header("ce-type", "dev.cdevents.pipelinerun.finished.0.2.0")
                .contentType("application/json").body("{}").post("/api/v1/events")
                .then().statusCode(202).body("status", is("ignored"));

        assertNothingMoreThan("ce-other", 0);
        tests("ce-other", digest).body("[0].phase", is("pending"));
    }

    @Test
    void rejectedReportsWriteNothing() {
        Digest digest = digest();
        writer.publish(deployed("rejected", digest, "test", policy(external("it", "junit", Duration.ofMinutes(5)))));
        awaitPending("rejected", digest);
        byte[] passing = JUnitReportTest.resource("TEST-passing.xml");

        // No token, a wrong token.
        given().contentType("application/xml").body(passing).post(resultsPath("rejected", digest, "test", "it"))
                .then().statusCode(401);
        given().header("Authorization", "Bearer nope").contentType("application/xml").body(passing)
                .post(resultsPath("rejected", digest, "test", "it")).then().statusCode(401);
        // A report smuggling an external entity.
        postJUnit("rejected", digest, "test", "it", ("<?xml version='1.0'?><!DOCTYPE t [<!ENTITY x SYSTEM"
                + " 'file:///etc/passwd'>]><testsuite><testcase name='&x;'/></testsuite>").getBytes(StandardCharsets.UTF_8))
                .statusCode(400).body("detail", startsWith("the report declares a DOCTYPE"));
        // Too large.
        byte[] huge = new byte[5 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        postJUnit("rejected", digest, "test", "it", huge).statusCode(413);
        given().header("Authorization", TOKEN).header("ce-specversion", "1.0").header("ce-id", "x")
                .header("ce-source", "/jenkins").header("ce-type", TestSuiteRunFinished.TYPE)
                .contentType("application/json").body(huge).post("/api/v1/events").then().statusCode(413)
                .contentType("application/problem+json");
        // A suite nobody waits for, a source the suite does not take, a malformed digest.
        postJUnit("rejected", digest, "test", "unit", passing).statusCode(409);
        given().header("Authorization", TOKEN).header("ce-specversion", "1.0").header("ce-id", "x")
                .header("ce-source", "/jenkins").header("ce-type", TestSuiteRunFinished.TYPE)
                .contentType("application/json").body(cdEvent("rejected", digest, "it", "success", null))
                .post("/api/v1/events").then().statusCode(409);
        // A CloudEvent without its attributes, a body that is not application/json in binary mode.
        given().header("Authorization", TOKEN).header("ce-specversion", "0.3").contentType("application/json")
                .body(cdEvent("rejected", digest, "it", "success", null)).post("/api/v1/events").then().statusCode(400)
                .body("errors", is(List.of("ce-specversion: must be 1.0, got '0.3'", "ce-id: is required",
                        "ce-source: is required", "ce-type: is required")));
        given().header("Authorization", TOKEN).header("ce-specversion", "1.0").header("ce-id", "x")
                .header("ce-source", "/jenkins").header("ce-type", TestSuiteRunFinished.TYPE)
                .contentType("text/plain").body(cdEvent("rejected", digest, "it", "success", null))
                .post("/api/v1/events").then().statusCode(415)
                .body("detail", containsString("application/cloudevents+json"));
        given().header("Authorization", TOKEN).contentType("application/xml").body(passing)
                .post("/api/v1/test-results?application=rejected&digest=sha256:abc&stage=test&suite=it")
                .then().statusCode(400);

        assertNothingMoreThan("rejected", 0);
        tests("rejected", digest).body("size()", is(1)).body("[0].phase", is("pending"));
    }

    /** The due-suite calls about the application, as the outgoing-calls API lists them, newest first. */
    private static List<Map<String, Object>> suiteCalls(String application) {
        return given().auth().oauth2("viewer-token").queryParam("limit", 200).get("/api/v1/outgoing-calls").then()
                .statusCode(200).extract().jsonPath()
                .getList("outgoingCalls.findAll { it.application == '" + application + "' && it.kind == 'suite-run' }");
    }

    private void awaitPending(String application, Digest digest) {
        await().atMost(WAIT).untilAsserted(() -> tests(application, digest).body("size()", is(1))
                .body("[0].phase", is("pending")));
    }

    /** Holds the results of the application at {@code count} long enough for a stray one to have shown up. */
    private void assertNothingMoreThan(String application, int count) {
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> results.poll(application).size() == count);
    }

    private List<TestSuiteRunFinished> awaitResults(String application, int count) {
        return await().atMost(WAIT).until(() -> results.poll(application), records -> records.size() >= count)
                .stream().map(StageSuitesTest::finished).toList();
    }

    private static TestSuiteRunFinished finished(ConsumerRecord<String, byte[]> record) {
        return (TestSuiteRunFinished) CdEventCodec.decode(record.value()).event();
    }

    private static ValidatableResponse tests(String application, Digest digest) {
        return given().auth().oauth2("viewer-token").get("/api/v1/applications/" + application + "/artifacts/" + digest.value() + "/tests")
                .then().statusCode(200);
    }

    private static String resultsPath(String application, Digest digest, String stage, String suite) {
        return "/api/v1/test-results?application=" + application + "&digest=" + digest.value() + "&stage=" + stage
                + "&suite=" + suite;
    }

    private static ValidatableResponse postJUnit(String application, Digest digest, String stage, String suite,
                                                 byte[] xml) {
        return given().header("Authorization", TOKEN).contentType("application/xml").body(xml)
                .post(resultsPath(application, digest, stage, suite)).then();
    }

    private static String cdEvent(String application, Digest digest, String suite, String outcome, String reason) {
        return "{\"context\":{\"specversion\":\"0.5.1\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/jenkins/e2e\","
                + "\"type\":\"" + TestSuiteRunFinished.TYPE + "\",\"timestamp\":\"" + Instant.now() + "\"},"
                + "\"subject\":{\"id\":\"" + suite + "-run\",\"content\":{\"outcome\":\"" + outcome + "\","
                + (reason == null ? "" : "\"reason\":\"" + reason + "\",")
                + "\"environment\":{\"id\":\"test\"},\"testSuite\":{\"id\":\"" + suite + "\"}}},"
                + "\"customData\":{\"application\":\"" + application + "\",\"digest\":\"" + digest.value() + "\"}}";
    }

    private SuitePolicy smoke(String name, int retries, int tries) {
        return new SuitePolicy(name, SuitePolicy.HTTP_SMOKE, List.of(), false, 1, retries, List.of(), List.of(),
                new HttpSmokePolicy(stageUrl, "GET", "/api/cart", Map.of("Accept", "application/json"), 200, null,
                        Map.of("/status", "UP"), Duration.ofSeconds(2), tries, Duration.ofMillis(50), "/digest"),
                null);
    }

    private static SuitePolicy external(String name, String source, Duration deadline) {
        return new SuitePolicy(name, SuitePolicy.EXTERNAL, List.of(), false, 1, 0, List.of(), List.of(), null,
                new ExternalSuitePolicy(source, deadline));
    }

    private static StagePolicy policy(SuitePolicy... suites) {
        return new StagePolicy(List.of(suites), null);
    }

    private ServiceDeployed deployed(String application, Digest digest, String stageName, StagePolicy policy) {
        return new ServiceDeployed(application, pipeline.repository("shop/" + application), stageName, digest, null,
                "promoted", "promote", policy);
    }

    private ServiceUpgraded upgraded(String application, Digest digest, Digest previous, String stageName,
                                     StagePolicy policy) {
        return new ServiceUpgraded(application, pipeline.repository("shop/" + application), stageName, digest,
                previous, "promoted", "promote", policy);
    }

    private static Digest digest() {
        return Digest.parse("sha256:" + sha(UUID.randomUUID().toString()));
    }

    private static String sha(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
