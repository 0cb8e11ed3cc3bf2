package dev.promoter.promote.stop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.promote.slack.SlackCommands;
import dev.promoter.promote.slack.SlackResource;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stop the line against the real broker, database and registry: it holds every promotion of the application (by the
 * pipeline, by hand, by approval), lets rollbacks through, and resuming lets the held digest go on by itself.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(SlackResource.class)
class StopTheLineTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ADMIN = "Bearer test-token";
    static final String OPS = "Bearer ops-token";
    static final String VIEWER = "Bearer viewer-token";
    static final String BOB = "Bearer bob-token";

    private PipelineFixture pipeline;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aStoppedLineHoldsANewBuildAndResumeLetsItGoOnByItself() {
        String app = "stopped";
        define(app, "");
        Digest v1 = publishAndAwait(app, "v1", "prod");

        stop(OPS, app, "incident 42: checkout errors").statusCode(201)
                .body("application", is(app)).body("stoppedBy", is("api:ops-cli")).body("reason", is("incident 42: checkout errors"))
                .body("via", is("api"));
        Digest v2 = publish(app, "v2");
        await().atMost(WAIT).until(() -> view(app).getList("stages.find { it.name == 'dev' }.pending.digest"),
                pending -> pending.contains(v2.value()));
        JsonPath held = view(app);
        assertThat(held.getString("stoppedLine.stoppedBy")).isEqualTo("api:ops-cli");
        assertThat(held.getString("stoppedLine.reason")).isEqualTo("incident 42: checkout errors");
        assertThat(held.getString("stages.find { it.name == 'dev' }.pending[0].blockedBecause"))
                .startsWith("the line of " + app + " is stopped by api:ops-cli since ")
                .endsWith("(incident 42: checkout errors); resume it to let promotions in");
        assertThat(pipeline.tag("shop/" + app, "dev")).as("nothing moves while the line is stopped").contains(v1.value());
        given().auth().oauth2("viewer-token").get("/api/v1/stop-the-line").then().statusCode(200).body("find { it.application == '" + app + "' }.reason",
                is("incident 42: checkout errors"));

        resume(OPS, app).statusCode(204);
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v2.value())));
        assertThat(view(app).getString("stoppedLine")).isNull();
        JsonPath audit = given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app + "/decisions").then().extract().jsonPath();
        assertThat(audit.getList("decision")).containsExactly("resume", "stop");
        assertThat(audit.getString("[1].comment")).isEqualTo("incident 42: checkout errors");
        assertThat(audit.getString("[1].identity")).isEqualTo("api:ops-cli");
        resume(OPS, app).statusCode(404).contentType("application/problem+json")
                .body("detail", is("the line of " + app + " is not stopped"));
    }

    @Test
    void aRollbackIsRecordedWhileTheLineIsStopped() {
        String app = "stopped-rollback";
        define(app, "");
        Digest v1 = publishAndAwait(app, "v1", "prod");
        Digest v2 = publishAndAwait(app, "v2", "prod");
        stop(OPS, app, "v2 looks bad").statusCode(201);

        pipeline.writer().publish(new ServiceRolledBack(app, pipeline.registryAddress() + "/shop/" + app, "prod", v1, v2,
                "health check failed", "3 failed probes"));
        await().atMost(WAIT).until(() -> view(app).getString("stages.find { it.name == 'prod' }.current"),
                is(v1.value()));
        assertThat(view(app).getString("stages.find { it.name == 'prod' }.history[0].rollbackOf")).isEqualTo(v2.value());
        resume(OPS, app).statusCode(204);
    }

    @Test
    void anApprovalIsCountedButPromotesNothingUntilTheLineResumes() {
        String app = "stopped-approval";
        define(app, "approvals: { count: 1, from: ['@release-managers'] }");
        Digest v1 = publishAndAwait(app, "v1", "dev");
        await().atMost(WAIT).until(() -> view(app).getList("stages.find { it.name == 'prod' }.pending.digest"),
                pending -> pending.contains(v1.value()));
        stop(OPS, null, "release freeze for the migration").statusCode(201).body("application", is((String) null));

        given().contentType("application/json").header("Authorization", BOB)
                .body(Map.of("digest", v1.value(), "decision", "approve")).post("/api/v1/applications/" + app
                        + "/stages/prod/approvals")
                .then().statusCode(200).body("phase", is("WAITING"))
                .body("explanation", startsWith("the line of every application is stopped by api:ops-cli"));
        assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();
        assertThat(view(app).getString("stoppedLine.application")).isNull();

        resume(OPS, app).statusCode(404);
        resume(OPS, null).statusCode(204);
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
    }

    @Test
    void onlyAnOperatorMayStopTheLineAndARefusalChangesNothing() {
        String app = "stopped-refused";
        define(app, "");
        stop(null, app, "no token").statusCode(401).contentType("application/problem+json");
        stop(VIEWER, app, "a viewer").statusCode(403).contentType("application/problem+json")
                .body("detail", startsWith("this call needs the role 'operator'; caller 'viewer' has viewer"));
        stop(OPS, app, " ").statusCode(400).contentType("application/problem+json");
        stop(OPS, "no-such-app", "typo").statusCode(404);
        resume(VIEWER, app).statusCode(403);
        assertThat(view(app).getString("stoppedLine")).isNull();
        assertThat(given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app + "/decisions").then().extract().jsonPath().getList("$"))
                .isEmpty();

        assertThat(SlackCommands.send("U0BOB", "stop-the-line " + app + " not an operator").path("text").asText())
                .startsWith("you may not stop or resume the line");
        SlackCommands.sendUnsigned("stop-the-line " + app + " forged").statusCode(401);
        assertThat(view(app).getString("stoppedLine")).isNull();
    }

    @Test
    void anOperatorStopsAndResumesTheLineFromSlack() {
        String app = "stopped-slack";
        define(app, "");
        var stopped = SlackCommands.send("U0OPS", "stop-the-line " + app + " database failover in progress");
        assertThat(stopped.path("response_type").asText()).isEqualTo("in_channel");
        assertThat(stopped.path("text").asText()).isEqualTo("<@U0OPS> stopped the line of " + app
                + ": database failover in progress. Nothing is promoted until `/promoter resume " + app
                + "`; rollbacks go on.");
        JsonPath view = view(app);
        assertThat(view.getString("stoppedLine.stoppedBy")).isEqualTo("oscar");
        assertThat(view.getString("stoppedLine.via")).isEqualTo("slack");
        assertThat(SlackCommands.send("U0OPS", "stop-the-line " + app + " again").path("text").asText())
                .startsWith("already stopped: the line of " + app + " is stopped by oscar");

        var resumed = SlackCommands.send("U0OPS", "resume " + app);
        assertThat(resumed.path("text").asText()).startsWith("<@U0OPS> resumed the line of " + app);
        assertThat(view(app).getString("stoppedLine")).isNull();
        assertThat(SlackCommands.send("U0OPS", "resume").path("text").asText())
                .isEqualTo("the line of every application is not stopped");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    void define(String app, String prodGates) {
        String yaml = """
                application: %s
                repository: %s/shop/%s
                people:
                  ada: { slack: [U0ADA], api: [ada-cli], git: [ada] }
                  bob: { slack: [U0BOB], api: [bob-cli] }
                  oscar: { slack: [U0OPS] }
                groups:
                  release-managers: [ada, bob]
                stages:
                  - name: dev
                  - name: prod
                """.formatted(app, pipeline.registryAddress(), app)
                + (prodGates.isEmpty() ? "" : "    gates:\n      " + prodGates + "\n");
        given().contentType("application/yaml").header("Authorization", ADMIN).body(yaml.getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
    }

    Digest publish(String app, String version) {
        Digest digest = Digest.parse(pipeline.image().file("/app/version.txt", version + "-" + app)
                .label("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .user("1000").push("shop/" + app, version));
        pipeline.writer().publish(new ArtifactPublished(app, pipeline.registryAddress() + "/shop/" + app, digest,
                "0123456789abcdef0123456789abcdef01234567", "http://ci.local/job/" + version, "ada"));
        return digest;
    }

    Digest publishAndAwait(String app, String version, String stage) {
        Digest digest = publish(app, version);
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, stage), is(Optional.of(digest.value())));
        // The tag moves just before the move is committed to the history.
        await().atMost(WAIT).until(() -> view(app).getString("stages.find { it.name == '" + stage + "' }.current"),
                is(digest.value()));
        return digest;
    }

    JsonPath view(String app) {
        return given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app).then().statusCode(200).extract().jsonPath();
    }

    static ValidatableResponse stop(String token, String app, String reason) {
        Map<String, String> body = new HashMap<>();
        if (app != null) {
            body.put("application", app);
        }
        body.put("reason", reason);
        var request = given().contentType("application/json").body(body);
        if (token != null) {
            request = request.header("Authorization", token);
        }
        return request.post("/api/v1/stop-the-line").then();
    }

    static ValidatableResponse resume(String token, String app) {
        var request = given().header("Authorization", token);
        if (app != null) {
            request = request.queryParam("application", app);
        }
        return request.delete("/api/v1/stop-the-line").then();
    }
}
