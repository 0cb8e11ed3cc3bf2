package dev.promoter.promote.promotion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.Infrastructure;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What promote does with records it cannot apply: a dependency outage delays them and dead-letters nothing; what can
 * never be applied is listed and can be replayed once, by an operator.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DeadLettersAndOutagesTest {

    private static final String TOKEN = "Bearer test-token";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Longer than the 16 s promote once retried a record before dead-lettering it. */
    private static final Duration OUTAGE = Duration.ofSeconds(18);

    private PipelineFixture pipeline;
    private String registryAddress;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        registryAddress = pipeline.registryAddress();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aSuiteResultWaitsOutARegistryOutageAndTheArtifactArrivesWithoutADeadLetter() {
        String app = "outage";
        define(app, "shop/outage");
        Digest v1 = push("shop/outage", "v1");
        pipeline.writer().publish(artifact(app, "shop/outage", v1));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/outage", "dev"), is(Optional.of(v1.value())));

        var registry = Infrastructure.shared().registry();
        registry.stop();
        Instant stopped = Instant.now();
        try {
            pipeline.writer().publish(new TestSuiteRunFinished(app, v1, "dev", "image-checks", 1, Outcome.SUCCESS, null));
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'Pipeline dependencies' }.data.registry", startsWith("unreachable")));
            // Answers while the registry is away are JSON, never an HTML page.
            given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then().contentType(startsWith("application/"));
            // For the rest of the outage the result waits: nothing is dead-lettered.
            Duration left = Duration.between(Instant.now(), stopped.plus(OUTAGE));
            await().during(left).atMost(left.plusSeconds(5)).until(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/dead-letters")
                    .then().statusCode(200).extract().jsonPath().getList("deadLetters.findAll { it.key == '" + app + "' }").size(), is(0));
        } finally {
            registry.start(false);
        }

        await().atMost(WAIT).until(() -> pipeline.tag("shop/outage", "test"), is(Optional.of(v1.value())));
        given().auth().oauth2("viewer-token").when().get("/api/v1/dead-letters").then().statusCode(200)
                .body("deadLetters.findAll { it.key == '" + app + "' }.size()", is(0));
        assertThat(pipeline.deadLetters(Topics.TEST_RESULTS, PipelineEventsConsumer.CONSUMER).poll(app)).isEmpty();
        assertThat(given().auth().oauth2("viewer-token").when().get("/q/metrics").asString())
                .contains("pipeline_dependency_wait_seconds_count{dependency=\"registry\"");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void anUnreadableRecordIsListedAndStaysADeadLetterWhenReplayed() {
        pipeline.writer().publishRaw(Topics.TEST_RESULTS.name(), "garbled", "{not an event".getBytes());

        JsonPath listed = await().atMost(WAIT).until(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/dead-letters")
                        .then().statusCode(200).extract().jsonPath(),
                page -> page.getList("deadLetters.findAll { it.key == 'garbled' }").size() == 1);
        String where = "deadLetters.find { it.key == 'garbled' }.";
        assertThat(listed.getString(where + "topic")).endsWith(Topics.TEST_RESULTS.name());
        assertThat(listed.getString(where + "consumer")).isEqualTo("promote");
        assertThat(listed.getString(where + "reason")).startsWith("unreadable event");
        assertThat(listed.getInt(where + "attempts")).isEqualTo(1);
        assertThat(listed.getString(where + "deadLetteredAt")).isNotBlank();
        long id = listed.getLong(where + "id");
        var deadLetterTopic = pipeline.deadLetters(Topics.TEST_RESULTS, "promote");
        await().atMost(WAIT).until(() -> deadLetterTopic.poll("garbled").size(), is(1));
        assertThat(given().auth().oauth2("viewer-token").when().get("/q/metrics").asString()).contains("pipeline_dead_letters_unreplayed");

        given().when().post("/api/v1/dead-letters/" + id + "/replay").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", TOKEN).when().post("/api/v1/dead-letters/" + id + "/replay").then()
                .statusCode(422).contentType("application/problem+json").body("detail", startsWith("dead letter " + id + " still cannot be applied"));
        given().auth().oauth2("viewer-token").when().get("/api/v1/dead-letters").then()
                .body("deadLetters.find { it.id == " + id + " }.replayedAt", nullValue());
        given().auth().oauth2("viewer-token").when().get("/api/v1/dead-letters?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", TOKEN).when().post("/api/v1/dead-letters/999999/replay").then().statusCode(404);
    }

    @Test
    void aReplayedDeadLetterIsAppliedOnceAndSaysWhoReplayedIt() throws SQLException {
        String app = "replayed";
        define(app, "shop/replayed");
        Digest v1 = push("shop/replayed", "v1");
        pipeline.writer().publish(artifact(app, "shop/replayed", v1));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/replayed", "dev"), is(Optional.of(v1.value())));

        // The suite result was dead-lettered (as promote did after 16 s of a registry outage before this change).
        TestSuiteRunFinished passed = new TestSuiteRunFinished(app, v1, "dev", "image-checks", 1, Outcome.SUCCESS, null);
        EventContext context = new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/test"), Instant.now(),
                UUID.randomUUID().toString());
        long first = insertDeadLetter(app, 100, CdEventCodec.encode(passed, context));
        long again = insertDeadLetter(app, 101, CdEventCodec.encode(passed, context));

        given().header("Authorization", TOKEN).when().post("/api/v1/dead-letters/" + first + "/replay").then()
                .statusCode(200).body("outcome", is("APPLIED")).body("replayedBy", is("test"));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/replayed", "test"), is(Optional.of(v1.value())));

        given().header("Authorization", TOKEN).when().post("/api/v1/dead-letters/" + first + "/replay").then()
                .statusCode(409).contentType("application/problem+json");
        // The same event dead-lettered twice: its second replay finds it applied and changes nothing.
        given().header("Authorization", TOKEN).when().post("/api/v1/dead-letters/" + again + "/replay").then()
                .statusCode(200).body("outcome", is("ALREADY_APPLIED"));
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then()
                .body("stages.find { it.name == 'test' }.history.size()", is(1));
        given().auth().oauth2("viewer-token").when().get("/api/v1/dead-letters?limit=1&before=" + again).then().statusCode(200)
                .body("deadLetters.id", hasItem((int) first))
                .body("deadLetters[0].replayedBy", is("test"));
    }

    private long insertDeadLetter(String key, long offset, byte[] payload) throws SQLException {
        var config = ConfigProvider.getConfig();
        try (Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), "");
             PreparedStatement insert = db.prepareStatement("insert into promote.dead_letter (consumer, topic,"
                     + " record_partition, record_offset, record_key, event_id, event_type, reason, attempts, payload, headers)"
                     + " values ('promote', ?, 0, ?, ?, null, 'TestSuiteRunFinished', 'could not be applied: registry down', 8, ?, '[]')"
                     + " returning id")) {
            insert.setString(1, config.getValue("pipeline.topic-prefix", String.class) + Topics.TEST_RESULTS.name());
            insert.setLong(2, offset);
            insert.setString(3, key);
            insert.setBytes(4, payload);
            var rows = insert.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
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
}
