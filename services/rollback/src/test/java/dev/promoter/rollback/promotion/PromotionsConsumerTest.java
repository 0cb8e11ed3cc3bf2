package dev.promoter.rollback.promotion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.rollback.HealthStandIn;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.rollback.ownership.StageTakeover;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the rollback service learns its stages from promotion events, and keeps probing across restarts. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class PromotionsConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPOSITORY = "127.0.0.1:15000/shop/cart";
    private static final StagePolicy NO_HEALTH_CHECKS = new StagePolicy(List.of(), null);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;

    @Inject
    HealthProber prober;
    @Inject
    StageTakeover startup;

    private TopicWriter promotions;

    @BeforeEach
    void connect() {
        promotions = new TopicWriter(bootstrap, prefix);
    }

    @AfterEach
    void disconnect() {
        prober.stopAll();
        promotions.close();
    }

    @Test
    void aRedeliveredPromotionChangesNothing() {
        String application = "orders";
        ServiceDeployed first = new ServiceDeployed(application, REPOSITORY, "prod", digest('a'), null, "first release",
                "pipeline", NO_HEALTH_CHECKS);
        EventContext firstContext = context();
        promotions.publish(first, firstContext);
        promotions.publish(new ServiceUpgraded(application, REPOSITORY, "prod", digest('b'), digest('a'),
                "second release", "pipeline", NO_HEALTH_CHECKS));
        // The same event again, e.g. after promote's relay crashed before stamping it sent.
        promotions.publish(first, firstContext);
        // Same key, same partition: once this one is recorded, the redelivery before it was handled too.
        promotions.publish(new ServiceDeployed(application, REPOSITORY, "dev", digest('c'), null, "marker", "pipeline",
                NO_HEALTH_CHECKS));
        await().atMost(WAIT).until(() -> history(application, "dev"), h -> h != null);

        JsonPath prod = history(application, "prod");
        assertThat(prod.getString("current")).isEqualTo(digest('b').value());
        assertThat(prod.getList("deployments.digest", String.class))
                .containsExactly(digest('b').value(), digest('a').value());
        assertThat(prod.getList("deployments.reason", String.class)).containsExactly("second release", "first release");
    }

    @Test
    void aStageWithoutHealthChecksIsRecordedButNotProbed() {
        String application = "search";
        EventContext context = promotions.publish(new ServiceDeployed(application, REPOSITORY, "test", digest('d'), null,
                null, "pipeline", NO_HEALTH_CHECKS));

        JsonPath test = await().atMost(WAIT).until(() -> history(application, "test"), h -> h != null);
        assertThat(test.getString("health")).isEqualTo("unprobed");
        assertThat(test.getString("repository")).isEqualTo(REPOSITORY);
        assertThat(test.getString("deployments[0].reason")).isEqualTo("promoted by pipeline");
        assertThat(test.getBoolean("deployments[0].current")).isTrue();
        assertThat(test.getBoolean("deployments[0].healthy")).isFalse();
        assertThat(Duration.between(context.timestamp(), Instant.parse(test.getString("deployments[0].movedAt"))).abs())
                .as("the tag moved when the promotion says").isLessThan(Duration.ofMillis(1));
        assertThat(prober.watched(application, "test")).isEmpty();
    }

    @Test
    void aRestartKeepsProbingWhatTheDatabaseSaysIsWatched() {
        String application = "payments";
        try (HealthStandIn runtime = HealthStandIn.start()) {
            runtime.answer("/payments/stage/health", () -> 200);
            HealthCheckPolicy health = new HealthCheckPolicy(runtime.url("/payments/stage/health"),
                    Duration.ofMillis(200), Duration.ofMillis(100), 3, 1, Duration.ZERO);
            promotions.publish(new ServiceDeployed(application, REPOSITORY, "stage", digest('e'), null, "release",
                    "pipeline", new StagePolicy(List.of(), health)));
            await().atMost(WAIT).until(() -> history(application, "stage"),
                    h -> h != null && h.getBoolean("deployments[0].healthy"));
            WatchedStage before = prober.watched(application, "stage").orElseThrow();

            // What a restart does: every watch is gone, then the recorded stages are read back.
            prober.stopAll();
            assertThat(prober.watching()).doesNotContain(WatchedStage.key(application, "stage"));
            int probesWhileStopped = runtime.probes("/payments/stage/health");
            startup.resync().await().atMost(WAIT);

            WatchedStage after = prober.watched(application, "stage").orElseThrow();
            assertThat(after.deploymentId()).isEqualTo(before.deploymentId());
            assertThat(after.digest()).isEqualTo(digest('e').value());
            assertThat(after.policy()).isEqualTo(health);
            assertThat(after.healthy()).as("already marked healthy, not marked again").isTrue();
            await().atMost(WAIT).until(() -> runtime.probes("/payments/stage/health") > probesWhileStopped + 2);
        }
    }

    @Test
    void anUnknownStageIsANotFoundProblem() {
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/{application}/stages/{stage}/history", "nobody", "prod")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", is(404))
                .body("detail", startsWith("the rollback service never heard of a promotion of nobody into stage prod"));
    }

    private JsonPath history(String application, String stage) {
        Response response = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/{application}/stages/{stage}/history",
                application, stage);
        return response.statusCode() == 200 ? response.jsonPath() : null;
    }

    private static Digest digest(char fill) {
        return Digest.parse("sha256:" + String.valueOf(fill).repeat(64));
    }

    private static EventContext context() {
        return new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/promote"), Instant.now(),
                "chain-" + UUID.randomUUID());
    }
}
