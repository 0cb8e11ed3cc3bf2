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

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void theRunsPageNewestFirstByCursorEachPageInTheOrderTheyFinishedAndTheLastHasNoLink() {
        String application = "paging-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String digest = "sha256:" + "ab".repeat(32);
        java.time.OffsetDateTime t0 = java.time.OffsetDateTime.parse("2026-03-01T10:00:00Z");
        for (int i = 1; i <= 5; i++) {
            pool.preparedQuery("insert into suite_run (application, digest, stage, suite, attempt, outcome, started_at,"
                            + " finished_at, kind) values ($1, $2, 'test', $3, 1, 'success', $4, $4, 'image-checks')")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(application, digest, "suite-" + i, t0.plusSeconds(i)))
                    .await().indefinitely();
        }
        String path = "/api/v1/applications/" + application + "/artifacts/" + digest + "/tests";

        var first = given().auth().oauth2("viewer-token").get(path + "?limit=2");
        first.then().statusCode(200).body("suite", org.hamcrest.Matchers.contains("suite-4", "suite-5"));
        String second = next(first.getHeader("Link"));
        assertThatPath(second, path);
        var page2 = given().auth().oauth2("viewer-token").get(second);
        page2.then().statusCode(200).body("suite", org.hamcrest.Matchers.contains("suite-2", "suite-3"));
        var page3 = given().auth().oauth2("viewer-token").get(next(page2.getHeader("Link")));
        page3.then().statusCode(200).body("suite", org.hamcrest.Matchers.contains("suite-1"))
                .header("Link", nullValue());
        given().auth().oauth2("viewer-token").get(path).then().statusCode(200).body("size()", is(5))
                .header("Link", nullValue());

        given().auth().oauth2("viewer-token").get(path + "?limit=501").then().statusCode(400)
                .contentType("application/problem+json").body("errors", hasItem("limit"));
        given().auth().oauth2("viewer-token").get(path + "?before=x").then().statusCode(400)
                .contentType("application/problem+json").body("errors", hasItem("before"));
    }

    private static String next(String link) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("<([^>]*)>; rel=\"next\"").matcher(link);
        org.assertj.core.api.Assertions.assertThat(matcher.find()).as("a Link header with rel=next: %s", link).isTrue();
        return matcher.group(1);
    }

    private static void assertThatPath(String next, String path) {
        org.assertj.core.api.Assertions.assertThat(next).startsWith(path + "?limit=2&before=");
    }
}
