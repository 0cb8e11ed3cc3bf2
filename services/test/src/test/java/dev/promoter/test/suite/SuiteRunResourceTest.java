package dev.promoter.test.suite;

import static dev.promoter.test.suite.PromotionsConsumerTest.REVISION;
import static dev.promoter.test.suite.PromotionsConsumerTest.imageChecks;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/applications/{application}/artifacts/{digest}/tests} against the real database. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class SuiteRunResourceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;
    @ConfigProperty(name = "pipeline.registry.address")
    String registryAddress;

    @Test
    void listsTheSuiteRunsOfAnArtifactInEveryStage() {
        RegistryClient registry = RegistryClient.forRegistry(registryAddress, RegistryCredentials.anonymous());
        String digest = new ImageBuilder(registry).file("/app/version.txt", "cart 1").user("")
                .label(REVISION, "0123456789abcdef").push("shop/cart", "dev");
        try (TopicWriter writer = new TopicWriter(bootstrap, prefix)) {
            writer.publish(new ServiceDeployed("cart", registryAddress + "/shop/cart", "test", Digest.parse(digest),
                    null, null, null, imageChecks(10_000_000)));
            writer.publish(new ServiceUpgraded("cart", registryAddress + "/shop/cart", "stage", Digest.parse(digest),
                    Digest.parse("sha256:" + "0".repeat(64)), null, null, imageChecks(16)));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> runs("cart", digest).size() == 2);
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/cart/artifacts/" + digest + "/tests")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("size()", is(2))
                .body("[0].stage", is("test"))
                .body("[0].suite", is("image-checks"))
                .body("[0].attempt", is(1))
                .body("[0].outcome", is("failure"))
                .body("[0].reason", is("runs as root (user '')"))
                .body("[0].startedAt", notNullValue())
                .body("[0].finishedAt", notNullValue())
                .body("[0].durationMs", greaterThanOrEqualTo(0))
                .body("[1].stage", is("stage"))
                .body("[1].outcome", is("failure"))
                .body("[1].reason", startsWith("runs as root (user ''); size "));
    }

    @Test
    void aSucceededRunHasNoReason() {
        RegistryClient registry = RegistryClient.forRegistry(registryAddress, RegistryCredentials.anonymous());
        String digest = new ImageBuilder(registry).file("/app/version.txt", "basket 1").user("1000")
                .label(REVISION, "0123456789abcdef").push("shop/basket", "dev");
        try (TopicWriter writer = new TopicWriter(bootstrap, prefix)) {
            writer.publish(new ServiceDeployed("basket", registryAddress + "/shop/basket", "test", Digest.parse(digest),
                    null, null, null, imageChecks(10_000_000)));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> runs("basket", digest).size() == 1);
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/basket/artifacts/" + digest + "/tests")
                .then().statusCode(200)
                .body("[0].outcome", is("success"))
                .body("[0].reason", nullValue());
    }

    @Test
    void anArtifactWithoutRunsHasAnEmptyList() {
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/cart/artifacts/sha256:" + "ef".repeat(32) + "/tests")
                .then().statusCode(200).contentType(ContentType.JSON).body("size()", is(0));
    }

    @Test
    void anInvalidDigestIsABadRequestSayingWhatToSend() {
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/cart/artifacts/sha256:abc/tests")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", is(400))
                .body("detail", startsWith("the path names no valid artifact"))
                .body("errors", hasItem(startsWith("digest: digest must be 'sha256:' followed by 64 lowercase hex")));
    }

    @Test
    void anInvalidApplicationIsABadRequest() {
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/-cart/artifacts/sha256:" + "ef".repeat(32) + "/tests")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasItem(startsWith("application: must be 1 to 128 letters")));
    }

    private List<Map<String, Object>> runs(String application, String digest) {
        return given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + application + "/artifacts/" + digest + "/tests")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }
}
