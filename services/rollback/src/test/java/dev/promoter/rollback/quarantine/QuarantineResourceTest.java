package dev.promoter.rollback.quarantine;

import dev.promoter.rollback.StageWatchingTest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.messaging.Contexts;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE .../stages/{stage}/quarantine/{digest}} against the real broker, database and registry: lifting the
 * quarantine of a digest that failed makes it a rollback target again, and leaves an audit row.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class QuarantineResourceTest extends StageWatchingTest {
    @Inject
    QuarantineLiftRepository lifts;
    @Inject
    Vertx vertx;

    @Test
    void liftingAQuarantineMakesTheDigestARollbackTargetAgainAndIsAudited() {
        String application = "lift-cart-" + suffix();
        String repositoryPath = "quarantine/cart-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        // v2 is healthy at first and starts failing later: rolled back to v1, and quarantined.
        AtomicInteger v2Answers = new AtomicInteger(200);
        runtime.answer("/cart/prod/health", () -> v2.equals(running(repositoryPath)) ? v2Answers.get() : 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/cart/prod/health"),
                Duration.ofMillis(100), Duration.ofMillis(80), 3, 1, Duration.ZERO));
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getBoolean("deployments[0].healthy"));
        registry.retag(repositoryPath, v2, "prod");
        promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(v2), Digest.parse(v1),
                "second", "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> v2.equals(h.getString("current")) && h.getBoolean("deployments[0].healthy"));
        v2Answers.set(503);
        JsonPath rolledBack = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> v1.equals(h.getString("current")) && h.getList("quarantined").contains(v2));
        assertThat(rolledBack.getString("rollbackTarget")).as("v1 runs, v2 is quarantined").isNull();
        assertThat(running(repositoryPath)).isEqualTo(v1);

        // Quarantined: not even an operator may go back to it before lifting the quarantine.
        given().contentType("application/json").header("Authorization", "Bearer test-token")
                .body(Map.of("reason", "try v2 again", "digest", v2))
                .post("/api/v1/applications/" + application + "/stages/prod/rollback")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("quarantined"));
        assertThat(running(repositoryPath)).isEqualTo(v1);
        // Nor may anyone without the operator role roll back at all.
        for (String caller : List.of("viewer", "reporter", "releaser")) {
            given().contentType("application/json").header("Authorization", "Bearer " + caller + "-token")
                    .body(Map.of("reason", "back to v1"))
                    .post("/api/v1/applications/" + application + "/stages/prod/rollback")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("detail", is("this call needs the role 'operator'; caller '" + caller + "' has " + caller));
        }
        assertThat(history(application, "prod").getString("current")).isEqualTo(v1);

        lift(application, "prod", v2, "the failure was the payment provider's outage", "test-token")
                .then().statusCode(204);

        JsonPath history = history(application, "prod");
        assertThat(history.getList("quarantined", String.class)).isEmpty();
        assertThat(history.getString("rollbackTarget")).isEqualTo(v2);
        assertThat(history.getBoolean("deployments[1].quarantined")).isFalse();
        assertThat(history.getBoolean("deployments[1].rollbackTarget")).isTrue();
        // The stage's watch would now roll back to v2, if v1 failed.
        await().atMost(WAIT).until(() -> prober.watched(application, "prod").map(WatchedStage::rollbackTarget),
                target -> target.isPresent() && v2.equals(target.get().digest()));

        List<QuarantineLift> audit = Contexts.onFreshContext(vertx,
                () -> Panache.withSession(() -> lifts.ofStage(application, "prod"))).await().atMost(WAIT);
        assertThat(audit).hasSize(1);
        QuarantineLift lift = audit.get(0);
        assertThat(lift.digest).isEqualTo(v2);
        assertThat(lift.liftedBy).isEqualTo("test");
        assertThat(lift.reason).isEqualTo("the failure was the payment provider's outage");
        assertThat(lift.quarantineReason).startsWith("health check failed");
        assertThat(lift.quarantinedAt).isNotNull();
        assertThat(lift.liftedAt).isAfter(lift.quarantinedAt).isBeforeOrEqualTo(Instant.now());

        // Announced, so promote lets v2 be promoted again.
        List<DecodedEvent> events = await().atMost(WAIT).until(() -> decoded(application),
                e -> e.stream().anyMatch(d -> d.event() instanceof ArtifactUnquarantined));
        assertThat(events.get(events.size() - 1).event()).isEqualTo(new ArtifactUnquarantined(application, repository,
                "prod", Digest.parse(v2), "the failure was the payment provider's outage", "test"));

        // Lifted already: nothing is quarantined there any more.
        lift(application, "prod", v2, "again", "test-token").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRefusedLiftAnswersAProblemAndKeepsTheQuarantine() {
        String application = "lift-basket-" + suffix();
        String repositoryPath = "quarantine/basket-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String other = push(repositoryPath, "2.0.0");
        // Fails from the start with nothing to go back to: held, and quarantined.
        runtime.answer("/basket/prod/health", () -> 503);
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/basket/prod/health"),
                Duration.ofMillis(100), Duration.ofMillis(80), 3, 1, Duration.ZERO))));
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getList("quarantined").contains(v1));

        refused(lift(application, "prod", v1, "x", null), 401);
        refused(lift(application, "prod", v1, "x", "not-the-token"), 401);
        refused(lift(application, "prod", v1, "x", "viewer-token"), 403);
        refused(lift(application, "prod", v1, "x", "reporter-token"), 403);
        refused(lift(application, "prod", v1, "x", "approver-token"), 403);
        refused(lift(application, "prod", v1, null, "test-token"), 400);
        refused(lift(application, "prod", v1, " ", "test-token"), 400);
        refused(lift(application, "prod", v1, "x".repeat(501), "test-token"), 400);
        refused(lift(application, "prod", "sha256:abc", "x", "test-token"), 400);
        refused(lift(application, "prod", other, "x", "test-token"), 404);
        refused(lift(application, "dev", v1, "x", "test-token"), 404);
        refused(lift("no-such-application", "prod", v1, "x", "test-token"), 404);

        assertThat(history(application, "prod").getList("quarantined", String.class)).containsExactly(v1);
        assertThat(decoded(application)).extracting(DecodedEvent::event)
                .noneMatch(event -> event instanceof ArtifactUnquarantined);
        assertThat(Contexts.onFreshContext(vertx, () -> Panache.withSession(() -> lifts.ofStage(application, "prod")))
                .await().atMost(WAIT)).isEmpty();
    }

    private static void refused(Response response, int status) {
        response.then().statusCode(status).contentType("application/problem+json").body("status", is(status));
    }

    private static Response lift(String application, String stage, String digest, String reason, String token) {
        var request = given();
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        if (reason != null) {
            request = request.queryParam("reason", reason);
        }
        return request.delete("/api/v1/applications/{application}/stages/{stage}/quarantine/{digest}", application,
                stage, digest);
    }

}
