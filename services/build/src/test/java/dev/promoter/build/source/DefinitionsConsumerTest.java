package dev.promoter.build.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.promoter.build.messaging.Channels;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.PipelineDefined;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The build service learns applications' sources from pipeline.definitions.v1: once per event, newest wins. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DefinitionsConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private PipelineFixture pipeline;

    @BeforeEach
    void open() {
        pipeline = PipelineFixture.open();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aNewerDefinitionReplacesTheSourceAndARedeliveryOfTheOlderChangesNothing() {
        PipelineDefined first = new PipelineDefined("defined", pipeline.repository("shop/defined"), List.of("dev"),
                new PipelineSource("acme/defined", null, List.of("main"), new PipelineSource.JenkinsBuilder(
                        URI.create("https://ci.example.com/"), "defined", "ci")));
        EventContext firstContext = context();
        pipeline.writer().publish(first, firstContext);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/defined/builds").then()
                .statusCode(200).body("source.github", is("acme/defined")).body("source.jenkinsJob", is("defined")));

        pipeline.writer().publish(new PipelineDefined("defined", pipeline.repository("shop/defined"),
                List.of("dev", "prod"), new PipelineSource(null, "Acme/Defined", List.of("release"), null)), context());
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/defined/builds").then()
                .body("source.gitlab", is("acme/defined")).body("source.github", nullValue())
                .body("source.branches", is(List.of("release"))).body("source.jenkinsJob", nullValue()));

        // The first event again (same id): the inbox drops it, so the newer source stays.
        pipeline.writer().publish(first, firstContext);
        pipeline.writer().publish(new PipelineDefined("marker", pipeline.repository("shop/marker"), List.of("dev"),
                null), context());
        await().atMost(WAIT).until(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/marker/builds").then().extract()
                .statusCode() == 200);
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/defined/builds").then().body("source.gitlab", is("acme/defined"));
    }

    @Test
    void anUnreadableDefinitionGoesToTheDeadLetterTopic() {
        try (TopicReader deadLetters = pipeline.deadLetters(Topics.DEFINITIONS, Channels.CONSUMER)) {
            String body = "{\"context\":{\"type\":\"" + PipelineDefined.TYPE + "\"}}";
            pipeline.writer().publishRaw(Topics.DEFINITIONS.name(), "broken", body.getBytes(StandardCharsets.UTF_8));

            var records = await().atMost(WAIT).until(() -> deadLetters.poll("broken"), list -> !list.isEmpty());
            assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(body);
        }
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/broken/builds").then().statusCode(404);
    }

    private static EventContext context() {
        return new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/promote"), Instant.now(),
                UUID.randomUUID().toString());
    }
}
