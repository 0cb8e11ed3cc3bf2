package dev.promoter.promote.approval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.AuditLog;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approvals through the API against the real broker, database and registry: the same rules Slack is held to. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ApprovalFlowTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ADMIN = "Bearer test-token";
    static final String ADA = "Bearer ada-token";
    static final String BOB = "Bearer bob-token";
    static final String EVE = "Bearer eve-token";

    private PipelineFixture pipeline;
    private TopicReader promotions;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        promotions = pipeline.reader(Topics.PROMOTIONS);
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    static String definition(String app, String registry, String prodGates) {
        return definition(app, registry, prodGates, "auto");
    }

    static String definition(String app, String registry, String prodGates, String promotion) {
        return """
                application: %s
                repository: %s/shop/%s
                people:
                  ada: { slack: [U0ADA], api: [ada-cli], git: [ada] }
                  bob: { slack: [U0BOB], api: [bob-cli] }
                  cyd: { slack: [U0CYD] }
                groups:
                  release-managers: [ada, bob, cyd]
                stages:
                  - name: dev
                  - name: prod
                    slack: { channel: C0RELEASES }
                    promotion: %s
                    gates:
                %s
                """.formatted(app, registry, app, promotion, prodGates.indent(6).stripTrailing());
    }

    void define(String app, String prodGates) {
        define(app, prodGates, "auto");
    }

    void define(String app, String prodGates, String promotion) {
        given().contentType("application/yaml").header("Authorization", ADMIN)
                .body(definition(app, pipeline.registryAddress(), prodGates, promotion).getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
    }

    Digest publish(String app, String version) {
        Digest digest = Digest.parse(pipeline.image().file("/app/version.txt", version)
                .label("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .user("1000").push("shop/" + app, version));
        pipeline.writer().publish(new ArtifactPublished(app, pipeline.registryAddress() + "/shop/" + app, digest,
                "0123456789abcdef0123456789abcdef01234567", "http://ci.local/job/" + version, "ada"));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "dev"), is(Optional.of(digest.value())));
        return digest;
    }

    JsonPath view(String app) {
        return given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then().statusCode(200).extract().jsonPath();
    }

    void awaitPending(String app, Digest digest) {
        await().atMost(WAIT).until(() -> view(app).getList("stages.find { it.name == 'prod' }.pending.digest"),
                pending -> pending.contains(digest.value()));
    }

    static io.restassured.response.ValidatableResponse decide(String app, String token, Digest digest, String decision) {
        return given().contentType("application/json").header("Authorization", token)
                .body(Map.of("digest", digest.value(), "decision", decision, "comment", "from the test"))
                .when().post("/api/v1/applications/" + app + "/stages/prod/approvals").then();
    }

    int decisions(String app) {
        return given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/decisions").then().statusCode(200)
                .extract().jsonPath().getList("$").size();
    }

    @Test
    void anApprovalFromAnotherReleaseManagerPromotesAndMovesTheTag() {
        String app = "approved";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);

        JsonPath view = view(app);
        assertThat(view.getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause"))
                .isEqualTo("waiting for 1 more approval from @release-managers");
        assertThat(view.getList("stages.find { it.name == 'prod' }.pending[0].gates.state")).containsExactly("MET", "WAITING");
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();

        decide(app, BOB, v1, "approve").statusCode(200).body("phase", is("PROMOTED")).body("person", is("bob"));
        assertThat(pipeline.tag("shop/" + app, "prod")).contains(v1.value());
        JsonPath after = view(app);
        assertThat(after.getList("stages.find { it.name == 'prod' }.pending")).isEmpty();
        assertThat(after.getString("stages.find { it.name == 'prod' }.history[0].reason")).contains("approved by bob");
        JsonPath audit = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/decisions").then().extract().jsonPath();
        assertThat(audit.getList("decision")).containsExactly("approve");
        assertThat(audit.getString("[0].identity")).isEqualTo("api:bob-cli");
        assertThat(audit.getString("[0].via")).isEqualTo("api");
        assertThat(audit.getString("[0].digest")).isEqualTo(v1.value());
    }

    @Test
    void aDigestQuarantinedWhileItWaitsIsNotLetInByAnApprovalUntilTheQuarantineIsLifted() {
        String app = "quarantined-waiting";
        String repository = pipeline.registryAddress() + "/shop/" + app;
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);

        pipeline.writer().publish(new ArtifactQuarantined(app, repository, "dev", v1, "health check failed in dev"));
        await().atMost(WAIT).until(() -> view(app).getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause"),
                words -> words.startsWith(v1.shortForm() + " is quarantined in dev (health check failed in dev)"));
        decide(app, BOB, v1, "approve").statusCode(200).body("phase", is("WAITING"));
        assertThat(pipeline.tag("shop/" + app, "prod")).as("an approval does not let a quarantined digest in").isEmpty();

        pipeline.writer().publish(new ArtifactUnquarantined(app, repository, "dev", v1, "the dev database was down",
                "alice"));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
        // The tag moves just before the move is committed to the history: wait for the history too.
        await().atMost(WAIT).until(() -> view(app).getString("stages.find { it.name == 'prod' }.history[0].reason"),
                reason -> reason != null && reason.contains("approved by bob"));
    }

    @Test
    void theAuthorAnOutsiderAndASecondClickAreRefusedAndNothingChanges() {
        String app = "refused";
        define(app, "approvals: { count: 2, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        // The move into dev is announced through the outbox; count from when it has arrived.
        int events = await().atMost(WAIT).until(() -> promotions.poll(app).size(), size -> size >= 1);

        decide(app, ADA, v1, "approve").statusCode(403).contentType("application/problem+json")
                .body("detail", is("you wrote the commit of " + v1.shortForm() + "; four eyes: someone else must approve it for prod"));
        decide(app, EVE, v1, "approve").statusCode(403)
                .body("detail", is("you are not among the approvers of prod (@release-managers)"));
        assertThat(decisions(app)).isZero();

        decide(app, BOB, v1, "approve").statusCode(200).body("phase", is("WAITING"));
        decide(app, BOB, v1, "approve").statusCode(403)
                .body("detail", is("you already approved " + v1.shortForm() + " for prod; one person counts once"));
        decide(app, "Bearer wrong", v1, "approve").statusCode(401);
        assertThat(decisions(app)).isEqualTo(1);
        assertThat(view(app).getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause"))
                .isEqualTo("waiting for 1 more approval from @release-managers (approved by bob)");
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
        assertThat(promotions.poll(app)).hasSize(events);
    }

    @Test
    void aRejectionBlocksTheDigestUntilANewRequest() {
        String app = "rejected";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);

        decide(app, BOB, v1, "reject").statusCode(200).body("phase", is("REJECTED"));
        decide(app, BOB, v1, "approve").statusCode(409).body("detail", org.hamcrest.Matchers.startsWith("this request was already decided: rejected by bob"));
        assertThat(view(app).getList("stages.find { it.name == 'prod' }.pending")).isEmpty();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();

        // A person asks again: a new request, which needs its own approval.
        given().contentType("application/json").header("Authorization", BOB)
                .body(Map.of("digest", v1.value(), "comment", "fixed the config instead"))
                .when().post("/api/v1/applications/" + app + "/stages/prod/promotions").then()
                .statusCode(200).body("phase", is("WAITING"));
        decide(app, "Bearer test-token", v1, "approve").statusCode(403);
        decide(app, BOB, v1, "approve").statusCode(200).body("phase", is("PROMOTED"));
        assertThat(pipeline.tag("shop/" + app, "prod")).contains(v1.value());
    }

    @Test
    void aNewerDigestSupersedesTheOlderRequest() {
        String app = "superseded";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        Digest v2 = publish(app, "v2");
        awaitPending(app, v2);

        assertThat(view(app).getList("stages.find { it.name == 'prod' }.pending.digest")).containsExactly(v2.value());
        decide(app, BOB, v1, "approve").statusCode(409)
                .body("detail", is("this request was superseded by " + v2.shortForm() + "; decide on the newer one"));
        assertThat(decisions(app)).isZero();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void anUnansweredRequestLapses() {
        String app = "lapsed";
        define(app, "approvals: { count: 1, from: ['@release-managers'], expiry: 2s }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        await().atMost(WAIT).until(() -> view(app).getList("stages.find { it.name == 'prod' }.pending"), List::isEmpty);

        decide(app, BOB, v1, "approve").statusCode(409).body("detail", org.hamcrest.Matchers.startsWith("this request lapsed"));
        assertThat(decisions(app)).isZero();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void aManualStageWaitsForAPersonAndAPinHoldsAStage() {
        String app = "manual";
        define(app, "{}", "manual");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        assertThat(view(app).getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause"))
                .isEqualTo("waiting for someone to promote it by hand (promotion: manual)");

        given().contentType("application/json").header("Authorization", BOB).body(Map.of("reason", "incident 7"))
                .when().put("/api/v1/applications/" + app + "/stages/dev/pin").then().statusCode(200);
        given().contentType("application/json").header("Authorization", BOB).body(Map.of("digest", v1.value()))
                .when().post("/api/v1/applications/" + app + "/stages/prod/promotions").then()
                .statusCode(200).body("phase", is("PROMOTED"));
        assertThat(pipeline.tag("shop/" + app, "prod")).contains(v1.value());

        // dev is pinned at v1: v2 waits outside until it is unpinned.
        Digest v2 = Digest.parse(pipeline.image().file("/app/version.txt", "v2").user("1000").push("shop/" + app, "v2"));
        pipeline.writer().publish(new ArtifactPublished(app, pipeline.registryAddress() + "/shop/" + app, v2, null, null, "ada"));
        await().atMost(WAIT).until(() -> view(app).getList("stages.find { it.name == 'dev' }.pending.blockedBecause"),
                b -> b.size() == 1 && b.get(0).toString().startsWith("dev is pinned at " + v1.shortForm() + " by bob (incident 7)"));
        assertThat(pipeline.tag("shop/" + app, "dev")).contains(v1.value());
        given().header("Authorization", BOB).when().delete("/api/v1/applications/" + app + "/stages/dev/pin").then().statusCode(200);
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "dev"), is(Optional.of(v2.value())));
        assertThat(given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/decisions").then().extract().jsonPath()
                .getList("decision")).containsExactly("unpin", "promote", "pin");
    }

    @Test
    void soakInAStageWithoutHealthChecksCountsFromEnteringIt() {
        String app = "soak-plain";
        define(app, "soak: 2s");
        Digest v1 = publish(app, "v1");
        // Either still soaking when first seen, or already through: both are the gate doing its work.
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
        // The tag moves just before the move is committed to the history: wait for the history too.
        await().atMost(WAIT).until(() -> view(app).getString("stages.find { it.name == 'prod' }.history[0].reason"),
                reason -> reason != null && reason.contains("soaked 2s in dev"));
    }

    @Test
    void soakWaitsForTheDigestToBeHealthyInThePreviousStage() {
        String app = "soak-health";
        String yaml = """
                application: %s
                repository: %s/shop/%s
                stages:
                  - name: dev
                    health: { url: "http://127.0.0.1:9/health", interval: 1s, timeout: 500ms }
                  - name: prod
                    gates: { soak: 1s }
                """.formatted(app, pipeline.registryAddress(), app);
        given().contentType("application/yaml").header("Authorization", ADMIN).body(yaml.getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        assertThat(view(app).getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause"))
                .isEqualTo("waiting for " + v1.shortForm() + " to be healthy in dev before its 1s soak starts");

        pipeline.writer().publish(new dev.promoter.contracts.ServiceHealthy(app, pipeline.registryAddress() + "/shop/" + app,
                "dev", v1));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
        // The tag moves just before the move is committed to the history: wait for the history too.
        await().atMost(WAIT).until(() -> view(app).getString("stages.find { it.name == 'prod' }.history[0].reason"),
                reason -> reason != null && reason.contains("soaked 1s in dev"));
    }

    @Test
    void aRefusedCallerLeavesNoTrace() {
        String app = "nodefs";
        decide(app, BOB, Digest.parse("sha256:" + "c".repeat(64)), "approve").statusCode(404);
        given().contentType("application/json").header("Authorization", BOB)
                .body(Map.of("digest", "latest", "decision", "approve"))
                .when().post("/api/v1/applications/" + app + "/stages/prod/approvals").then().statusCode(400);
    }

    @Test
    void aViewerOrReporterCannotSaveADefinitionApprovePromoteOrPinAndEachRefusalIsAudited() {
        String app = "guarded";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }", "manual");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        String definition = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline")
                .then().statusCode(200).extract().asString();
        String stage = "/api/v1/applications/" + app + "/stages/prod";

        try (AuditLog audit = AuditLog.record()) {
            for (String caller : List.of("viewer", "reporter")) {
                String token = "Bearer " + caller + "-token";
                given().contentType("application/yaml").header("Authorization", token)
                        .body(definition(app, pipeline.registryAddress(), "approvals: { count: 1, from: ['api:"
                                + caller + "'] }").getBytes())
                        .when().put("/api/v1/applications/" + app + "/pipeline")
                        .then().statusCode(403).contentType("application/problem+json")
                        .body("detail", is("this call needs the role 'admin'; caller '" + caller + "' has " + caller));
                decide(app, token, v1, "approve").statusCode(403).body("detail", containsString("'approver'"));
                given().contentType("application/json").header("Authorization", token)
                        .body(Map.of("digest", v1.value(), "comment", "by hand"))
                        .when().post(stage + "/promotions").then().statusCode(403);
                given().contentType("application/json").header("Authorization", token).body(Map.of("reason", "x"))
                        .when().put(stage + "/pin").then().statusCode(403);
            }
            assertThat(audit.lines()).filteredOn(line -> line.contains("path=/api/v1/applications/" + app + "/"))
                    .hasSize(8)
                    .allSatisfy(line -> assertThat(line).contains("status=403").doesNotContain("viewer-token", "reporter-token"))
                    .anySatisfy(line -> assertThat(line).contains("method=PUT", "caller=reporter", "needed-role=admin"))
                    .anySatisfy(line -> assertThat(line).contains("method=POST", "caller=viewer", "needed-role=approver"));
        }

        assertThat(given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline")
                .then().statusCode(200).extract().asString()).isEqualTo(definition);
        assertThat(decisions(app)).isZero();
        JsonPath view = view(app);
        assertThat(view.getList("stages.find { it.name == 'prod' }.pending.digest")).containsExactly(v1.value());
        assertThat(view.getString("stages.find { it.name == 'prod' }.pin")).isNull();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    @Test
    void theAuthorCannotRewriteTheApproversToApproveAlone() {
        String app = "rewritten";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        // Ada wrote the commit and is an approver and releaser, not an admin: she may not change the rule.
        given().contentType("application/yaml").header("Authorization", ADA)
                .body(definition(app, pipeline.registryAddress(), "approvals: { count: 1, from: ['api:ada-cli'] }")
                        .replace("git: [ada]", "git: [someone-else]").getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline")
                .then().statusCode(403).body("detail", containsString("needs the role 'admin'"));
        decide(app, ADA, v1, "approve").statusCode(403).body("detail", containsString("four eyes"));
        assertThat(decisions(app)).isZero();
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
    }

    void redefine(String app, String token, String prodGates, int expectedRevision) {
        given().contentType("application/yaml").header("Authorization", token)
                .body(definition(app, pipeline.registryAddress(), prodGates, "auto").getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(200)
                .header("ETag", "\"" + expectedRevision + "\"");
    }

    @Test
    void whoeverChangesTheApproversCannotThenApproveAloneARequestAskedUnderTheOldRules() {
        String app = "rules-changed";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);

        // eve is no release manager; she rewrites the rule to name herself, then approves alone.
        redefine(app, EVE, "approvals: { count: 1, from: ['api:eve-cli'] }", 2);
        decide(app, EVE, v1, "approve").statusCode(403).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("you are not among the approvers of prod"
                        + " (@release-managers) (the request was asked under revision 1 of the pipeline definition"));
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
        assertThat(decisions(app)).isZero();
        assertThat(view(app).getList("stages.find { it.name == 'prod' }.pending.digest")).containsExactly(v1.value());

        // A release manager of the rules it was asked under, who the new rule also admits, still can.
        redefine(app, EVE, "approvals: { count: 1, from: ['api:eve-cli', bob] }", 3);
        decide(app, BOB, v1, "approve").statusCode(200).body("phase", is("PROMOTED"));
        assertThat(pipeline.tag("shop/" + app, "prod")).contains(v1.value());
    }

    @Test
    void loweringTheCountNeverTurnsTheApprovalsGivenIntoEnough() {
        String app = "count-lowered";
        define(app, "approvals: { count: 2, from: ['@release-managers'] }");
        Digest v1 = publish(app, "v1");
        awaitPending(app, v1);
        decide(app, BOB, v1, "approve").statusCode(200).body("phase", is("WAITING"));

        // The save evaluates the waiting request again: one approval is enough now, but not under the rules asked.
        redefine(app, ADMIN, "approvals: { count: 1, from: ['@release-managers'] }", 2);
        JsonPath view = view(app);
        assertThat(view.getList("stages.find { it.name == 'prod' }.pending.digest")).containsExactly(v1.value());
        assertThat(view.getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause")).isEqualTo(
                "waiting for 1 more approval from @release-managers (approved by bob) (as asked under revision 1)");
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();

        // A stricter rule applies at once: bob is no longer admitted, so his approval no longer counts either.
        redefine(app, ADMIN, "approvals: { count: 1, from: [cyd] }", 3);
        assertThat(view(app).getString("stages.find { it.name == 'prod' }.pending[0].blockedBecause"))
                .startsWith("waiting for 1 more approval from cyd;");
    }
}
