package dev.promoter.promote.promotion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import dev.promoter.testinfra.TopicWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Promote against the real broker, database and registry, with the other services played by the test. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class PromotionFlowTest {

    private static final String TOKEN = "Bearer test-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private PipelineFixture pipeline;
    private TopicWriter writer;
    private TopicReader promotions;
    private String registryAddress;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        writer = pipeline.writer();
        promotions = pipeline.reader(Topics.PROMOTIONS);
        registryAddress = pipeline.registryAddress();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void anArtifactWhoseSuitesPassReachesEveryStageAndARedeliveryChangesNothing() {
        String app = "cart";
        define(app, "shop/cart");
        Digest v1 = push("shop/cart", "v1");

        EventContext published = writer.publish(artifact(app, "shop/cart", v1));
        await().atMost(WAIT).until(() -> tag("shop/cart", "dev"), is(Optional.of(v1.value())));
        assertThat(tag("shop/cart", "test")).as("test waits for dev's suite").isEmpty();

        var deployed = await().atMost(WAIT).until(() -> promotions.poll(app), r -> r.size() == 1).get(0);
        var event = (ServiceDeployed) CdEventCodec.decode(deployed.value()).event();
        assertThat(event.stage()).isEqualTo("dev");
        assertThat(event.policy().suites()).extracting(s -> s.name()).containsExactly("image-checks");
        assertThat(CdEventCodec.decode(deployed.value()).context().chainId()).isEqualTo(published.chainId());

        writer.publish(new TestSuiteRunFinished(app, v1, "dev", "image-checks", 1, Outcome.SUCCESS, null));
        for (String stage : List.of("test", "stage", "prod")) {
            await().atMost(WAIT).until(() -> tag("shop/cart", stage), is(Optional.of(v1.value())));
        }
        JsonPath view = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then().statusCode(200).extract().jsonPath();
        assertThat(view.getList("stages.current")).containsOnly(v1.value());
        assertThat(view.getString("stages.find { it.name == 'test' }.history[0].reason")).isEqualTo("suites passed in dev: image-checks");
        assertThat(view.getString("artifacts[0].digest")).isEqualTo(v1.value());
        assertThat(view.getString("artifacts[0].commit")).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(view.getString("artifacts[0].author")).isEqualTo("ada");

        // Redelivering the artifact event must not move or record anything again.
        writer.publish(artifact(app, "shop/cart", v1), published);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> promotions.poll(app).size(), is(4));
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then()
                .body("stages.find { it.name == 'dev' }.history.size()", is(1));
    }

    @Test
    void aFailedSuiteStopsTheDigestInItsStage() {
        String app = "basket";
        define(app, "shop/basket");
        Digest v1 = push("shop/basket", "v1");
        writer.publish(artifact(app, "shop/basket", v1));
        await().atMost(WAIT).until(() -> tag("shop/basket", "dev"), is(Optional.of(v1.value())));

        writer.publish(new TestSuiteRunFinished(app, v1, "dev", "image-checks", 1, Outcome.FAILURE, "runs as root"));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> promotions.poll(app).size(), is(1));
        assertThat(tag("shop/basket", "test")).isEmpty();
    }

    @Test
    void aRollbackIsRecordedAndTheQuarantinedDigestIsNotPromotedAgain() {
        String app = "till";
        define(app, "shop/till");
        Digest v1 = push("shop/till", "v1");
        Digest v2 = push("shop/till", "v2");
        writer.publish(artifact(app, "shop/till", v1));
        writer.publish(new TestSuiteRunFinished(app, v1, "dev", "image-checks", 1, Outcome.SUCCESS, null));
        await().atMost(WAIT).until(() -> tag("shop/till", "prod"), is(Optional.of(v1.value())));
        writer.publish(artifact(app, "shop/till", v2));
        writer.publish(new TestSuiteRunFinished(app, v2, "dev", "image-checks", 1, Outcome.SUCCESS, null));
        await().atMost(WAIT).until(() -> tag("shop/till", "prod"), is(Optional.of(v2.value())));

        // The rollback service moved prod back and quarantined v2 there.
        String repository = registryAddress + "/shop/till";
        writer.publish(new ServiceRolledBack(app, repository, "prod", v1, v2, "health check failed: 3 x HTTP 503", "503,503,503"));
        writer.publish(new ArtifactQuarantined(app, repository, "prod", v2, "health check failed in prod"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then()
                .body("stages.find { it.name == 'prod' }.current", is(v1.value()))
                .body("stages.find { it.name == 'prod' }.history[0].rollbackOf", is(v2.value()))
                .body("stages.find { it.name == 'prod' }.history[0].reason", startsWith("health check failed"))
                .body("stages.find { it.name == 'prod' }.quarantined", hasItem(v2.value())));

        // A late success of v2 elsewhere must not carry the quarantined digest anywhere by itself.
        // The reader counts from what it has read: first let it catch up with the eight moves of v1 and v2 (a fresh
        // consumer's first polls may return nothing while it joins its group).
        int before = await().atMost(WAIT).until(() -> promotions.poll(app).size(), n -> n >= 8);
        writer.publish(new TestSuiteRunFinished(app, v2, "dev", "image-checks", 2, Outcome.SUCCESS, null));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> promotions.poll(app).size(), is(before));
    }

    @Test
    void aQuarantineBlocksLaterPromotionAndLiftingItAllowsIt() {
        String app = "shelf";
        define(app, "shop/shelf");
        Digest v1 = push("shop/shelf", "v1");
        String repository = registryAddress + "/shop/shelf";
        writer.publish(artifact(app, "shop/shelf", v1));
        await().atMost(WAIT).until(() -> tag("shop/shelf", "dev"), is(Optional.of(v1.value())));

        // v1 failed health in dev: its passing suite must not carry it into test.
        writer.publish(new ArtifactQuarantined(app, repository, "dev", v1, "health check failed in dev"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then()
                .body("stages.find { it.name == 'dev' }.quarantined", hasItem(v1.value())));
        writer.publish(new TestSuiteRunFinished(app, v1, "dev", "image-checks", 1, Outcome.SUCCESS, null));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> promotions.poll(app).size(), is(1));
        assertThat(tag("shop/shelf", "test")).isEmpty();

        // A person lifts the quarantine in the rollback service; the next passing result promotes it.
        writer.publish(new ArtifactUnquarantined(app, repository, "dev", v1, "the dev database was down", "alice"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then()
                .body("stages.find { it.name == 'dev' }.quarantined.size()", is(0)));
        writer.publish(new TestSuiteRunFinished(app, v1, "dev", "image-checks", 2, Outcome.SUCCESS, null));
        await().atMost(WAIT).until(() -> tag("shop/shelf", "prod"), is(Optional.of(v1.value())));
        assertThat(tag("shop/shelf", "test")).contains(v1.value());
    }

    @Test
    void anInvalidDefinitionIsRefusedWithEveryProblemAndNothingIsSaved() {
        given().contentType("application/yaml").header("Authorization", TOKEN)
                .body(("application: Bad_Name\nrepository: " + registryAddress + "/shop/x\nstages:\n  - name: dev\n  - name: dev\n").getBytes())
                .when().put("/api/v1/applications/bad/pipeline")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/bad").then().statusCode(404);
        given().contentType("application/yaml")
                .body(("application: nobody\nrepository: " + registryAddress + "/shop/x\n").getBytes())
                .when().put("/api/v1/applications/nobody/pipeline").then().statusCode(401);
    }

    private void define(String app, String repositoryPath) {
        String yaml = """
                application: %s
                repository: %s/%s
                stages:
                  - name: dev
                    suites:
                      - name: image-checks
                        kind: image-checks
                  - name: test
                  - name: stage
                  - name: prod
                """.formatted(app, registryAddress, repositoryPath);
        given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml.getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
    }

    private ArtifactPublished artifact(String app, String repositoryPath, Digest digest) {
        return new ArtifactPublished(app, registryAddress + "/" + repositoryPath, digest,
                "0123456789abcdef0123456789abcdef01234567", null, "ada");
    }

    private Digest push(String repositoryPath, String version) {
        return Digest.parse(pipeline.image().file("/app/version.txt", version)
                .label("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .user("1000").push(repositoryPath, version));
    }

    private Optional<String> tag(String repositoryPath, String tag) {
        return pipeline.tag(repositoryPath, tag);
    }

}
