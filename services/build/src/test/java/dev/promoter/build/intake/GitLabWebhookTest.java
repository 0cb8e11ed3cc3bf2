package dev.promoter.build.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.PipelineSource;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /webhooks/gitlab} with hooks shaped as GitLab documents them. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class GitLabWebhookTest extends IntakeTest {

    static final String GITLAB_TOKEN = "gitlab-test-token";
    static final String JOB = "cart";

    JenkinsStandIn jenkins;

    @BeforeEach
    void startJenkins() throws IOException {
        // A Jenkins user with a password, not an API token: the crumb and its session cookie are needed.
        jenkins = new JenkinsStandIn(JENKINS_USER, null, JENKINS_PASSWORD, JOB,
                Set.of("APPLICATION", "COMMIT", "BRANCH", "REPOSITORY"));
    }

    @AfterEach
    void stopJenkins() {
        jenkins.close();
    }

    @Test
    void aPushHookAsksJenkinsWithACrumbAndItsResendIsADuplicate() {
        define("gl-push", "shop/gl-push", new PipelineSource(null, "Shop/Cart", List.of("main"),
                jenkins(jenkins.url(), JOB, "legacy")));
        String commit = "9".repeat(40);
        byte[] payload = push("shop/cart", "main", commit);
        String key = UUID.randomUUID().toString();

        deliver("Push Hook", key, payload).statusCode(202).body("status", is("accepted"));

        await().atMost(WAIT).until(() -> jenkins.builds().size() == 1);
        assertThat(jenkins.builds().get(0)).containsEntry("COMMIT", commit).containsEntry("BRANCH", "main");
        assertThat(jenkins.refusals()).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/gl-push/builds").then()
                .body("buildRequests[0].phase", is("SUCCEEDED")).body("buildRequests[0].source", is("gitlab")));

        // GitLab's "Resend Request" keeps the Idempotency-Key.
        assertRefusedWithoutTrace("gl-push", () -> deliver("Push Hook", key, payload)
                .statusCode(200).body("status", is("duplicate")));
        assertThat(jenkins.builds()).hasSize(1);
    }

    @Test
    void aFailedPipelineIsRecordedAgainstItsCommit() {
        define("gl-failed", "shop/gl-failed", new PipelineSource(null, "shop/failed", List.of("main"), null));
        String commit = "8".repeat(40);

        deliver("Pipeline Hook", UUID.randomUUID().toString(), pipelineHook("shop/failed", commit, "failed"))
                .statusCode(202).body("status", is("accepted"));

        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/gl-failed/builds").then()
                .body("failures[0].commit", is(commit)).body("failures[0].source", is("gitlab"))
                .body("failures[0].name", is("Build cart"))
                .body("failures[0].url", is("https://gitlab.example.com/shop/failed/-/pipelines/31"));
    }

    @Test
    void aSucceededPipelineIsIgnored() {
        define("gl-green", "shop/gl-green", new PipelineSource(null, "shop/green", List.of("main"), null));
        assertRefusedWithoutTrace("gl-green", () -> deliver("Pipeline Hook", UUID.randomUUID().toString(),
                pipelineHook("shop/green", "7".repeat(40), "success")).statusCode(202).body("status", is("ignored")));
    }

    @Test
    void aWrongTokenIs401AndChangesNothing() {
        define("gl-forged", "shop/gl-forged", new PipelineSource(null, "shop/forged", List.of("main"),
                jenkins(jenkins.url(), JOB, "legacy")));
        assertRefusedWithoutTrace("gl-forged", () -> given().contentType("application/json")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", "guess")
                .body(push("shop/forged", "main", "6".repeat(40))).when().post("/webhooks/gitlab").then()
                .statusCode(401).contentType("application/problem+json")
                .body("detail", startsWith("X-Gitlab-Token does not match")));
        assertRefusedWithoutTrace("gl-forged", () -> given().contentType("application/json")
                .header("X-Gitlab-Event", "Push Hook")
                .body(push("shop/forged", "main", "6".repeat(40))).when().post("/webhooks/gitlab").then()
                .statusCode(401).body("detail", startsWith("X-Gitlab-Token is missing")));
        assertThat(jenkins.builds()).isEmpty();
    }

    @Test
    void aMissingEventHeaderIs400AndChangesNothing() {
        assertRefusedWithoutTrace("gl-noevent", () -> given().contentType("application/json")
                .header("X-Gitlab-Token", GITLAB_TOKEN)
                .body(push("shop/noevent", "main", "5".repeat(40))).when().post("/webhooks/gitlab").then()
                .statusCode(400).body("detail", startsWith("X-Gitlab-Event is missing")));
    }

    @Test
    void aProjectNoDefinitionNamesIsIgnoredNot4xxSoGitLabKeepsTheHook() {
        assertRefusedWithoutTrace("gl-nobody", () -> deliver("Push Hook", UUID.randomUUID().toString(),
                push("shop/nobody", "main", "4".repeat(40))).statusCode(202).body("status", is("ignored"))
                .body("detail", startsWith("project shop/nobody is not the source of any")));
    }

    @Test
    void anUnknownHookIs202IgnoredAndChangesNothing() {
        assertRefusedWithoutTrace("gl-issue", () -> deliver("Issue Hook", UUID.randomUUID().toString(),
                "{\"object_kind\":\"issue\"}".getBytes()).statusCode(202).body("status", is("ignored"))
                .body("detail", containsString("Issue Hook")));
    }

    @Test
    void aWrongContentTypeIs415AndChangesNothing() {
        assertRefusedWithoutTrace("gl-text", () -> given().contentType("text/plain")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", GITLAB_TOKEN)
                .body("object_kind=push").when().post("/webhooks/gitlab").then().statusCode(415));
    }

    private ValidatableResponse deliver(String event, String idempotencyKey, byte[] payload) {
        return given().contentType("application/json")
                .header("User-Agent", "GitLab/17.6.0")
                .header("X-Gitlab-Event", event)
                .header("X-Gitlab-Token", GITLAB_TOKEN)
                .header("X-Gitlab-Instance", "https://gitlab.example.com")
                .header("X-Gitlab-Webhook-UUID", "b6a4b1a0-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
                .header("X-Gitlab-Event-UUID", UUID.randomUUID().toString())
                .header("Idempotency-Key", idempotencyKey)
                .body(payload)
                .when().post("/webhooks/gitlab").then();
    }

    private static byte[] push(String project, String branch, String commit) {
        return Payload.of("gitlab/push.json", Map.of("PROJECT", project, "BRANCH", branch, "COMMIT", commit));
    }

    private static byte[] pipelineHook(String project, String commit, String status) {
        return Payload.of("gitlab/pipeline.json", Map.of("PROJECT", project, "COMMIT", commit, "STATUS", status));
    }
}
