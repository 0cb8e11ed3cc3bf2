package dev.promoter.build.artifact;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class BuildResourceTest {

    private static final String TOKEN = "Bearer test-token";

    private PipelineFixture pipeline;
    private TopicReader artifacts;
    private String registryAddress;

    @BeforeEach
    void readTopic() {
        pipeline = PipelineFixture.open();
        artifacts = pipeline.reader(Topics.ARTIFACTS);
        registryAddress = pipeline.registryAddress();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void acceptsABuildOfAnImageInTheRegistryAndPublishesArtifactPublished() {
        String digest = pushImage("shop/cart", "v1");
        String eventId = given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(report("shop-cart", "shop/cart", digest))
                .when().post("/api/v1/builds")
                .then().statusCode(202).body("duplicate", is(false)).body("digest", is(digest))
                .extract().path("eventId");

        ConsumerRecord<String, byte[]> record = await().atMost(Duration.ofSeconds(20))
                .until(() -> artifacts.poll("shop-cart"), r -> r.size() == 1).get(0);
        assertThat(record.key()).isEqualTo("shop-cart");
        assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo(ArtifactPublished.TYPE);
        DecodedEvent decoded = CdEventCodec.decode(record.value());
        assertThat(decoded.context().id()).isEqualTo(eventId);
        assertThat(decoded.event()).isEqualTo(new ArtifactPublished("shop-cart", registryAddress + "/shop/cart",
                Digest.parse(digest), "0123456789abcdef0123456789abcdef01234567", "http://127.0.0.1:8080/job/cart/7/", "ada"));
    }

    @Test
    void aCommitTimeTravelsWithTheArtifactForLeadTime() {
        String digest = pushImage("shop/timed", "v1");
        Map<String, String> body = new java.util.HashMap<>(report("timed", "shop/timed", digest));
        body.put("commitTime", "2026-03-02T10:41:12+01:00");
        given().contentType(ContentType.JSON).header("Authorization", TOKEN).body(body)
                .when().post("/api/v1/builds").then().statusCode(202);

        ConsumerRecord<String, byte[]> record = await().atMost(Duration.ofSeconds(20))
                .until(() -> artifacts.poll("timed"), r -> r.size() == 1).get(0);
        ArtifactPublished published = (ArtifactPublished) CdEventCodec.decode(record.value()).event();
        assertThat(published.commitTime()).isEqualTo(java.time.Instant.parse("2026-03-02T09:41:12Z"));
    }

    @Test
    void refusesACommitTimeThatIsNotADateTime() {
        String digest = pushImage("shop/untimed", "v1");
        Map<String, String> body = new java.util.HashMap<>(report("untimed", "shop/untimed", digest));
        body.put("commitTime", "yesterday");
        given().contentType(ContentType.JSON).header("Authorization", TOKEN).body(body)
                .when().post("/api/v1/builds")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasItems(startsWith("commitTime: must be an RFC 3339 date-time")));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> artifacts.poll("untimed"), r -> r.isEmpty());
    }

    @Test
    void aRepeatedReportChangesNothingAndAnswersWithTheFirstEvent() {
        String digest = pushImage("shop/basket", "v1");
        String first = given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(report("basket", "shop/basket", digest)).when().post("/api/v1/builds")
                .then().statusCode(202).extract().path("eventId");
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(report("basket", "shop/basket", digest)).when().post("/api/v1/builds")
                .then().statusCode(202).body("eventId", is(first)).body("duplicate", is(true));

        await().atMost(Duration.ofSeconds(20)).until(() -> artifacts.poll("basket"), r -> r.size() == 1);
        // A second event would follow the first within the relay's next drain; give it that chance.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> artifacts.poll("basket"), r -> r.size() == 1);
    }

    @Test
    void refusesACallWithoutAValidTokenAndPublishesNothing() {
        String digest = pushImage("shop/denied", "v1");
        given().contentType(ContentType.JSON).body(report("denied", "shop/denied", digest))
                .when().post("/api/v1/builds")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("send 'Authorization: Bearer <token>'"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer guess")
                .body(report("denied", "shop/denied", digest)).when().post("/api/v1/builds")
                .then().statusCode(401);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> artifacts.poll("denied"), r -> r.isEmpty());
    }

    @Test
    void listsEveryInvalidFieldAtOnce() {
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("application", "Shop_Cart", "repository", "no-registry", "digest", "sha256:abc",
                        "commit", "not-a-sha", "buildUrl", "ftp://x"))
                .when().post("/api/v1/builds")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.size()", is(5))
                .body("errors", hasItems(
                        startsWith("application: must be 1-63 lowercase letters"),
                        startsWith("repository: must be <registry host[:port]>/<path>"),
                        startsWith("digest: digest must be 'sha256:' followed by 64 lowercase hex"),
                        startsWith("commit: must be a git commit id"),
                        startsWith("buildUrl: must be an absolute http(s) URL")));
    }

    @Test
    void refusesLabelsThatAreNotShortStringsAndPublishesNothing() {
        String digest = pushImage("shop/labelled", "v1");
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("application", "labelled", "repository", registryAddress + "/shop/labelled",
                        "digest", digest, "labels", Map.of("bad key!", "x", "team", "y".repeat(600))))
                .when().post("/api/v1/builds")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasItems(startsWith("labels: key 'bad key!' must be"),
                        startsWith("labels.team: must be a string of at most 512 characters")));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> artifacts.poll("labelled"), r -> r.isEmpty());
    }

    @Test
    void refusesMalformedJson() {
        given().contentType(ContentType.JSON).header("Authorization", TOKEN).body("{\"application\": ")
                .when().post("/api/v1/builds")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("the body is not valid JSON"));
    }

    @Test
    void refusesAnImageTheRegistryDoesNotHave() {
        String missing = "sha256:" + "ab".repeat(32);
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(report("ghost", "shop/ghost", missing)).when().post("/api/v1/builds")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", is("manifest " + missing + " not found in " + registryAddress
                        + "/shop/ghost; push the image before reporting the build"));
    }

    @Test
    void refusesARepositoryOutsideTheManagedRegistry() {
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("application", "elsewhere", "repository", "registry.example.com/shop/cart",
                        "digest", "sha256:" + "cd".repeat(32)))
                .when().post("/api/v1/builds")
                .then().statusCode(422)
                .body("detail", startsWith("repository registry.example.com/shop/cart is not in the registry this pipeline manages"));
    }

    private Map<String, String> report(String application, String repositoryPath, String digest) {
        return Map.of("application", application, "repository", registryAddress + "/" + repositoryPath,
                "digest", digest, "commit", "0123456789abcdef0123456789abcdef01234567",
                "buildUrl", "http://127.0.0.1:8080/job/cart/7/", "author", "ada");
    }

    private String pushImage(String repository, String tag) {
        return pipeline.image().file("/app/version.txt", repository + ":" + tag)
                .label("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .user("1000").push(repository, tag);
    }

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void theArtifactsOfAnApplicationPageNewestFirstByCursorAndTheLastPageHasNone() {
        String application = "paging-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        java.time.OffsetDateTime t0 = java.time.OffsetDateTime.parse("2026-03-01T10:00:00Z");
        for (int i = 1; i <= 5; i++) {
            pool.preparedQuery("insert into artifact (application, repository, digest, commit_id, reported_by, event_id,"
                            + " received_at) values ($1, 'r/paging', $2, $3, 'bench', $4, $5)")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(application, "sha256:" + String.format("%064x", i),
                            "commit-" + i, java.util.UUID.randomUUID().toString(), t0.plusSeconds(i)))
                    .await().indefinitely();
        }
        String path = "/api/v1/applications/" + application + "/builds";

        var first = given().auth().oauth2("viewer-token").get(path + "?limit=2").then().statusCode(200)
                .body("artifacts.commit", org.hamcrest.Matchers.contains("commit-5", "commit-4")).extract().jsonPath();
        var second = given().auth().oauth2("viewer-token").get(path + "?limit=2&before=" + first.getLong("nextBefore"))
                .then().statusCode(200).body("artifacts.commit", org.hamcrest.Matchers.contains("commit-3", "commit-2"))
                .extract().jsonPath();
        given().auth().oauth2("viewer-token").get(path + "?limit=2&before=" + second.getLong("nextBefore")).then()
                .statusCode(200).body("artifacts.commit", org.hamcrest.Matchers.contains("commit-1"))
                .body("nextBefore", org.hamcrest.Matchers.nullValue())
                .body("artifacts[0].id", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2("viewer-token").get(path + "?limit=501").then().statusCode(400)
                .contentType("application/problem+json").body("errors", org.hamcrest.Matchers.hasItem("limit"));
        given().auth().oauth2("viewer-token").get(path + "?before=0").then().statusCode(400)
                .contentType("application/problem+json").body("errors", org.hamcrest.Matchers.hasItem("before"));
    }
}
