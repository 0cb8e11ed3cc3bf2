package dev.promoter.build.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /webhooks/github} with deliveries shaped and signed as GitHub sends them. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class GitHubWebhookTest extends IntakeTest {

    /** The secret of GitHub's own test vector; the test profile configures it. */
    static final String SECRET = "It's a Secret to Everybody";
    static final String JOB = "shop/cart-build";

    JenkinsStandIn jenkins;

    @BeforeEach
    void startJenkins() throws IOException {
        jenkins = new JenkinsStandIn(JENKINS_USER, JENKINS_API_TOKEN, null, JOB,
                Set.of("APPLICATION", "COMMIT", "BRANCH", "REPOSITORY"));
    }

    @AfterEach
    void stopJenkins() {
        jenkins.close();
    }

    @Test
    void aPingIsAnsweredPong() {
        deliver("ping", UUID.randomUUID().toString(), "{\"zen\":\"Design for failure.\",\"hook_id\":1}".getBytes())
                .statusCode(200).body("status", is("pong"));
    }

    @Test
    void aPublishedContainerPackageBecomesAnArtifactAndItsRedeliveryIsADuplicate() {
        define("gh-package", "acme/gh-package", new PipelineSource("acme/gh-package", null, List.of("main"), null));
        String commit = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c";
        String digest = pushImage("acme/gh-package", commit);
        byte[] payload = registryPackage("gh-package", pipeline.repository("acme/gh-package") + ":v1", digest, commit);
        String delivery = UUID.randomUUID().toString();

        String eventId = deliver("registry_package", delivery, payload).statusCode(202)
                .body("status", is("accepted")).body("applications", is(List.of("gh-package")))
                .extract().path("eventId");

        var record = published("gh-package", 1).get(0);
        assertThat(decoded(record)).isEqualTo(new ArtifactPublished("gh-package",
                pipeline.repository("acme/gh-package"), Digest.parse(digest), commit,
                "https://github.com/orgs/acme/packages/container/gh-package/7654321", "ada"));
        assertThat(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).isEqualTo(eventId);
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/gh-package/builds").then().statusCode(200)
                .body("artifacts[0].source", is("github")).body("artifacts[0].deliveryId", is(delivery))
                .body("artifacts[0].commit", is(commit)).body("artifacts[0].author", is("ada"));

        assertRefusedWithoutTrace("gh-package", () -> deliver("registry_package", delivery, payload)
                .statusCode(200).body("status", is("duplicate")));
        assertThat(artifacts.poll("gh-package")).hasSize(1);
    }

    @Test
    void aPushToABuildingBranchAsksJenkinsWhoseBuildReportsTheImage() {
        define("gh-push", "acme/gh-push", new PipelineSource("Acme/GH-Push", null, List.of("main"),
                jenkins(jenkins.url(), JOB, "ci")));
        String commit = "a".repeat(8) + "0123456789abcdef0123456789abcdef";
        // What the job does: build and push the image, then report it as the shared-library step does.
        jenkins.onBuild(parameters -> {
            String digest = pushImage("acme/gh-push", parameters.get("COMMIT"));
            given().contentType("application/json").header("Authorization", TOKEN)
                    .body(Map.of("application", parameters.get("APPLICATION"), "repository",
                            parameters.get("REPOSITORY"), "digest", digest, "commit", parameters.get("COMMIT"),
                            "buildUrl", jenkins.url() + "job/shop/job/cart-build/1/", "author", "ada"))
                    .when().post("/api/v1/builds").then().statusCode(202);
        });

        deliver("push", UUID.randomUUID().toString(), push("acme/gh-push", "main", commit, false))
                .statusCode(202).body("status", is("accepted")).body("applications", is(List.of("gh-push")));

        var record = published("gh-push", 1).get(0);
        assertThat(((ArtifactPublished) decoded(record)).commit()).isEqualTo(commit);
        assertThat(jenkins.builds()).containsExactly(Map.of("APPLICATION", "gh-push", "COMMIT", commit,
                "BRANCH", "main", "REPOSITORY", pipeline.repository("acme/gh-push")));
        assertThat(jenkins.refusals()).isEmpty();
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/gh-push/builds").then().statusCode(200)
                .body("buildRequests[0].phase", is("SUCCEEDED"))
                .body("buildRequests[0].queueItem", startsWith(jenkins.url() + "queue/item/"))
                .body("buildRequests[0].commit", is(commit));
    }

    @Test
    void aBuildRequestJenkinsCannotTakeNowIsRetried() {
        define("gh-retry", "acme/gh-retry", new PipelineSource("acme/gh-retry", null, List.of("main"),
                jenkins(jenkins.url(), JOB, "ci")));
        jenkins.failNextWith(503);
        String commit = "b".repeat(40);

        deliver("push", UUID.randomUUID().toString(), push("acme/gh-retry", "main", commit, false)).statusCode(202);

        await().atMost(WAIT).until(() -> jenkins.builds().size() == 1);
        assertThat(jenkins.refusals()).containsExactly("503 told to fail once");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/gh-retry/builds").then()
                .body("buildRequests[0].phase", is("SUCCEEDED")).body("buildRequests[0].attempts", is(2)));
    }

    @Test
    void aBuildRequestJenkinsRefusedIsListedAsAFailedOutgoingCallAndAnOperatorRetriesIt() {
        define("gh-refused", "acme/gh-refused", new PipelineSource("acme/gh-refused", null, List.of("main"),
                jenkins(jenkins.url(), JOB, "ci")));
        jenkins.failNextWith(404);
        String commit = "c".repeat(40);

        deliver("push", UUID.randomUUID().toString(), push("acme/gh-refused", "main", commit, false)).statusCode(202);

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when()
                .get("/api/v1/applications/gh-refused/builds").then().body("buildRequests[0].phase", is("FAILED")));
        var failed = given().auth().oauth2("viewer-token").when().get("/api/v1/outgoing-calls?status=FAILED").then()
                .statusCode(200).extract().jsonPath();
        String where = "outgoingCalls.find { it.application == 'gh-refused' }.";
        assertThat(failed.getString(where + "kind")).isEqualTo("jenkins-build");
        assertThat(failed.getString(where + "lastOutcome")).startsWith("Jenkins answered 404");
        long id = failed.getLong(where + "id");
        assertThat(jenkins.builds()).isEmpty();

        given().auth().oauth2("viewer-token").when().post("/api/v1/outgoing-calls/" + id + "/retry").then().statusCode(403);
        given().auth().oauth2("operator-token").when().post("/api/v1/outgoing-calls/" + id + "/retry").then()
                .statusCode(200).body("status", is("PENDING"));

        await().atMost(WAIT).until(() -> jenkins.builds().size() == 1);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when()
                .get("/api/v1/applications/gh-refused/builds").then().body("buildRequests[0].phase", is("SUCCEEDED")));
        given().auth().oauth2("operator-token").when().post("/api/v1/outgoing-calls/" + id + "/retry").then()
                .statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aPushToABranchThatDoesNotBuildIsIgnored() {
        define("gh-branch", "acme/gh-branch", new PipelineSource("acme/gh-branch", null, List.of("main"),
                jenkins(jenkins.url(), JOB, "ci")));

        assertRefusedWithoutTrace("gh-branch", () -> deliver("push", UUID.randomUUID().toString(),
                push("acme/gh-branch", "feature/x", "c".repeat(40), false))
                .statusCode(202).body("status", is("ignored")).body("detail", containsString("feature/x")));
        assertThat(jenkins.builds()).isEmpty();
    }

    @Test
    void aFailedWorkflowRunIsRecordedAgainstItsCommit() {
        define("gh-failed", "acme/gh-failed", new PipelineSource("acme/gh-failed", null, List.of("main"), null));
        String commit = "d".repeat(40);

        deliver("workflow_run", UUID.randomUUID().toString(), workflowRun("acme/gh-failed", commit, "failure"))
                .statusCode(202).body("status", is("accepted"));

        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/gh-failed/builds").then().statusCode(200)
                .body("failures[0].commit", is(commit)).body("failures[0].conclusion", is("failure"))
                .body("failures[0].name", is("Build"))
                .body("failures[0].url", is("https://github.com/acme/gh-failed/actions/runs/30433642"));
    }

    @Test
    void aSuccessfulWorkflowRunIsIgnored() {
        define("gh-green", "acme/gh-green", new PipelineSource("acme/gh-green", null, List.of("main"), null));

        assertRefusedWithoutTrace("gh-green", () -> deliver("workflow_run", UUID.randomUUID().toString(),
                workflowRun("acme/gh-green", "e".repeat(40), "success")).statusCode(202).body("status", is("ignored")));
    }

    // ---- the bad-input table (docs/build-intake.md), GitHub rows ----

    @Test
    void aBadSignatureIs401AndChangesNothing() {
        define("gh-forged", "acme/gh-forged", new PipelineSource("acme/gh-forged", null, List.of("main"), null));
        String digest = pushImage("acme/gh-forged", "f".repeat(40));
        byte[] payload = registryPackage("gh-forged", pipeline.repository("acme/gh-forged") + ":v1", digest,
                "f".repeat(40));

        assertRefusedWithoutTrace("gh-forged", () -> given().contentType("application/json")
                .header("X-GitHub-Event", "registry_package").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", sign("another secret".getBytes(StandardCharsets.UTF_8), payload))
                .body(payload).when().post("/webhooks/github").then()
                .statusCode(401).contentType("application/problem+json")
                .body("detail", startsWith("X-Hub-Signature-256 does not match the body")));
        // The right signature over other bytes (one byte changed) is just as wrong.
        byte[] tampered = payload.clone();
        tampered[tampered.length - 2] = ' ';
        assertRefusedWithoutTrace("gh-forged", () -> given().contentType("application/json")
                .header("X-GitHub-Event", "registry_package").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", sign(SECRET.getBytes(StandardCharsets.UTF_8), payload))
                .body(tampered).when().post("/webhooks/github").then().statusCode(401));
    }

    @Test
    void aMissingSignatureIs401AndChangesNothing() {
        assertRefusedWithoutTrace("gh-unsigned", () -> given().contentType("application/json")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .body(push("acme/gh-unsigned", "main", "1".repeat(40), false)).when().post("/webhooks/github")
                .then().statusCode(401).body("detail", startsWith("X-Hub-Signature-256 is missing")));
    }

    @Test
    void aMissingEventHeaderIs400AndChangesNothing() {
        byte[] payload = push("acme/gh-noevent", "main", "2".repeat(40), false);
        assertRefusedWithoutTrace("gh-noevent", () -> given().contentType("application/json")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", sign(SECRET.getBytes(StandardCharsets.UTF_8), payload))
                .body(payload).when().post("/webhooks/github").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("X-GitHub-Event is missing")));
    }

    @Test
    void aMalformedDigestIs422AndChangesNothing() {
        define("gh-baddigest", "acme/gh-baddigest", new PipelineSource("acme/gh-baddigest", null, List.of(), null));
        byte[] payload = registryPackage("gh-baddigest", pipeline.repository("acme/gh-baddigest") + ":v1",
                "sha256:NOT-HEX", "3".repeat(40));

        assertRefusedWithoutTrace("gh-baddigest", () -> deliver("registry_package", UUID.randomUUID().toString(),
                payload).statusCode(422).contentType("application/problem+json")
                .body("detail", startsWith("the image digest 'sha256:NOT-HEX' is malformed")));
    }

    @Test
    void aDigestNotInTheRegistryIs422NamingItAndChangesNothing() {
        define("gh-ghost", "acme/gh-ghost", new PipelineSource("acme/gh-ghost", null, List.of(), null));
        String missing = "sha256:" + "ab".repeat(32);
        byte[] payload = registryPackage("gh-ghost", pipeline.repository("acme/gh-ghost") + ":v1", missing,
                "4".repeat(40));

        assertRefusedWithoutTrace("gh-ghost", () -> deliver("registry_package", UUID.randomUUID().toString(), payload)
                .statusCode(422).body("detail", is("manifest " + missing + " not found in "
                        + pipeline.repository("acme/gh-ghost") + "; push the image before reporting the build")));
    }

    @Test
    void anUnknownRepositoryIs404NamingItAndChangesNothing() {
        String digest = pushImage("acme/gh-nobody", "5".repeat(40));
        byte[] image = registryPackage("gh-nobody", pipeline.repository("acme/gh-nobody") + ":v1", digest,
                "5".repeat(40));
        assertRefusedWithoutTrace("gh-nobody", () -> deliver("registry_package", UUID.randomUUID().toString(), image)
                .statusCode(404).contentType("application/problem+json")
                .body("detail", startsWith("repository " + pipeline.repository("acme/gh-nobody") + " is not the"
                        + " repository of any application's pipeline definition")));
        assertRefusedWithoutTrace("gh-nobody", () -> deliver("push", UUID.randomUUID().toString(),
                push("acme/gh-nobody", "main", "5".repeat(40), false))
                .statusCode(404).body("detail", startsWith("repository acme/gh-nobody is not the source of any")));
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() {
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        assertRefusedWithoutTrace("gh-huge", () -> deliver("push", UUID.randomUUID().toString(), huge)
                .statusCode(413));
    }

    @Test
    void aWrongContentTypeIs415AndChangesNothing() {
        byte[] form = ("payload=" + java.net.URLEncoder.encode(new String(push("acme/gh-form", "main", "6".repeat(40),
                false), StandardCharsets.UTF_8), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertRefusedWithoutTrace("gh-form", () -> given().contentType("application/x-www-form-urlencoded")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", sign(SECRET.getBytes(StandardCharsets.UTF_8), form))
                .body(new String(form, StandardCharsets.UTF_8)).when().post("/webhooks/github").then()
                .statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("application/json")));
    }

    @Test
    void anUnknownEventTypeIs202IgnoredAndChangesNothing() {
        assertRefusedWithoutTrace("gh-issues", () -> deliver("issues", UUID.randomUUID().toString(),
                "{\"action\":\"opened\",\"issue\":{\"number\":1}}".getBytes(StandardCharsets.UTF_8))
                .statusCode(202).body("status", is("ignored")).body("detail", containsString("issues")));
    }

    @Test
    void aSignedBodyThatIsNotJsonIs400AndChangesNothing() {
        assertRefusedWithoutTrace("gh-notjson", () -> deliver("push", UUID.randomUUID().toString(),
                "{\"ref\": ".getBytes(StandardCharsets.UTF_8))
                .statusCode(400).body("detail", startsWith("the push payload is not valid JSON")));
        assertRefusedWithoutTrace("gh-notjson", () -> deliver("push", UUID.randomUUID().toString(),
                "{\"after\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                .statusCode(400).body("detail", startsWith("the push payload has no ref")));
    }

    @Test
    void githubsOwnTestVectorVerifies() {
        assertThat(sign(SECRET.getBytes(StandardCharsets.UTF_8), "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    // ---- helpers ----

    private ValidatableResponse deliver(String event, String delivery, byte[] payload) {
        return given().contentType("application/json")
                .header("User-Agent", "GitHub-Hookshot/044aadd")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-GitHub-Hook-ID", "292430182")
                .header("X-Hub-Signature-256", sign(SECRET.getBytes(StandardCharsets.UTF_8), payload))
                .body(payload)
                .when().post("/webhooks/github").then();
    }

    /** As GitHub signs: "sha256=" + lowercase hex HMAC-SHA256 of the raw body, written here independently. */
    static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] push(String repo, String branch, String commit, boolean deleted) {
        return Payload.of("github/push.json", Map.of("REPO", repo, "REPO_NAME", repo.substring(repo.indexOf('/') + 1),
                "BRANCH", branch, "COMMIT", commit, "DELETED", Boolean.toString(deleted)));
    }

    private static byte[] registryPackage(String packageName, String image, String digest, String commit) {
        return Payload.of("github/registry_package.json", Map.of("PACKAGE", packageName, "IMAGE", image,
                "DIGEST", digest, "COMMIT", commit));
    }

    private static byte[] workflowRun(String repo, String commit, String conclusion) {
        return Payload.of("github/workflow_run.json", Map.of("REPO", repo,
                "REPO_NAME", repo.substring(repo.indexOf('/') + 1), "COMMIT", commit, "CONCLUSION", conclusion));
    }
}
