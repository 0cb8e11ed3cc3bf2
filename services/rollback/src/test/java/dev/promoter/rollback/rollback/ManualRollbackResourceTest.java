package dev.promoter.rollback.rollback;

import dev.promoter.rollback.StageWatchingTest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST .../stages/{stage}/rollback} against the real broker, database and registry: an operator moves the
 * registry tag back, to the rollback target or to a named earlier digest, and every refusal changes nothing.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ManualRollbackResourceTest extends StageWatchingTest {
    private static final String TOKEN = "test-token";
    private static final StagePolicy UNPROBED = new StagePolicy(List.of(), null);

    @Test
    void aManualRollbackGoesToTheRollbackTargetAndIsAnnouncedWithItsReasonAndActor() {
        String application = "manual-cart-" + suffix();
        String repositoryPath = "manual-rollback/cart-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        runtime.answer("/cart/prod/health", () -> 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/cart/prod/health"),
                Duration.ofMillis(100), Duration.ofMillis(80), 3, 1, Duration.ZERO));
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getBoolean("deployments[0].healthy"));
        registry.retag(repositoryPath, v2, "prod");
        EventContext upgrade = promotions.publish(new ServiceUpgraded(application, repository, "prod",
                Digest.parse(v2), Digest.parse(v1), "second", "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> v2.equals(h.getString("current")));
        assertThat(history(application, "prod").getString("rollbackTarget")).isEqualTo(v1);

        JsonPath answer = rollback(application, "prod", Map.of("reason", "checkout latency doubled"))
                .then().statusCode(202).extract().jsonPath();

        assertThat(answer.getString("stage")).isEqualTo("prod");
        assertThat(answer.getString("digest")).isEqualTo(v1);
        assertThat(answer.getString("rolledBackDigest")).isEqualTo(v2);
        assertThat(pipeline.tag(repositoryPath, "prod")).as("asked of the registry").contains(v1);

        String reason = "manual rollback by test: checkout latency doubled";
        List<DecodedEvent> events = await().atMost(WAIT).until(() -> decoded(application), e -> !e.isEmpty());
        assertThat(events.get(0).event()).isEqualTo(new ServiceRolledBack(application, repository, "prod",
                Digest.parse(v1), Digest.parse(v2), reason, null));
        assertThat(events.get(0).context().chainId()).as("the left digest's journey").isEqualTo(upgrade.chainId());

        JsonPath history = history(application, "prod");
        assertThat(history.getString("current")).isEqualTo(v1);
        assertThat(history.getList("deployments.digest", String.class)).containsExactly(v1, v2, v1);
        assertThat(history.getString("deployments[0].rollbackOf")).isEqualTo(v2);
        assertThat(history.getString("deployments[0].reason")).isEqualTo(reason);
        assertThat(history.getString("deployments[0].actor")).isEqualTo("test");
        assertThat(history.getString("deployments[1].actor")).isEqualTo("pipeline");
        assertThat(history.getList("quarantined", String.class)).as("a manual rollback quarantines nothing").isEmpty();
        assertThat(history.getBoolean("deployments[1].quarantined")).isFalse();

        // Watched again on the digest it went back to, with a grace period from the move.
        long back = history.getLong("deployments[0].id");
        WatchedStage watched = await().atMost(WAIT).until(() -> prober.watched(application, "prod"),
                w -> w.isPresent() && w.get().deploymentId() == back).orElseThrow();
        assertThat(watched.digest()).isEqualTo(v1);
        // The database keeps microseconds.
        assertThat(watched.promotedAt().truncatedTo(ChronoUnit.MICROS)).isEqualTo(Instant.parse(history.getString("deployments[0].movedAt")));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> decoded(application),
                e -> e.size() == 1);
    }

    @Test
    void aManualRollbackToANamedEarlierDigestGoesThere() {
        String application = "manual-orders-" + suffix();
        String repositoryPath = "manual-rollback/orders-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        String v3 = push(repositoryPath, "3.0.0");
        promoteUnprobed(application, repository, repositoryPath, v1, v2, v3);

        rollback(application, "prod", Map.of("reason", "v2 and v3 both corrupt orders", "digest", v1))
                .then().statusCode(202)
                .body("stage", is("prod"))
                .body("digest", is(v1))
                .body("rolledBackDigest", is(v3));

        assertThat(pipeline.tag(repositoryPath, "prod")).contains(v1);
        JsonPath history = history(application, "prod");
        assertThat(history.getList("deployments.digest", String.class)).containsExactly(v1, v3, v2, v1);
        assertThat(history.getString("current")).isEqualTo(v1);
        assertThat(history.getString("deployments[0].rollbackOf")).isEqualTo(v3);
        assertThat(history.getString("deployments[0].actor")).isEqualTo("test");
        assertThat(history.getString("deployments[0].reason"))
                .isEqualTo("manual rollback by test: v2 and v3 both corrupt orders");
        ServiceRolledBack rolledBack = (ServiceRolledBack) await().atMost(WAIT)
                .until(() -> decoded(application), e -> !e.isEmpty()).get(0).event();
        assertThat(rolledBack.digest()).isEqualTo(Digest.parse(v1));
        assertThat(rolledBack.rolledBackDigest()).isEqualTo(Digest.parse(v3));
        assertThat(rolledBack.reason()).isEqualTo("manual rollback by test: v2 and v3 both corrupt orders");
    }

    @Test
    void aRefusedManualRollbackAnswersAProblemAndChangesNothing() {
        String application = "manual-payments-" + suffix();
        String repositoryPath = "manual-rollback/payments-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        String neverRan = push(repositoryPath, "9.0.0");
        promoteUnprobed(application, repository, repositoryPath, v1, v2);
        List<Map<String, Object>> before = history(application, "prod").getList("deployments");

        refused(given().contentType("application/json").body(Map.of("reason", "x"))
                .post(path(application, "prod")), 401, "Bearer");
        refused(given().contentType("application/json").header("Authorization", "Bearer not-the-token")
                .body(Map.of("reason", "x")).post(path(application, "prod")), 401, "Bearer");
        refused(rollback(application, "prod", Map.of()), 400, "reason");
        refused(rollback(application, "prod", Map.of("reason", "   ")), 400, "reason");
        refused(rollback(application, "prod", Map.of("reason", "x".repeat(501))), 400, "at most 500");
        refused(rollback(application, "prod", Map.of("reason", "x", "digest", "sha256:abc")), 400, "digest");
        refused(rollback("no-such-application", "prod", Map.of("reason", "x")), 404, "never heard of");
        refused(rollback(application, "no-such-stage", Map.of("reason", "x")), 404, "never heard of");
        // Nothing was ever found healthy in this unprobed stage: nothing qualifies as the rollback target.
        refused(rollback(application, "prod", Map.of("reason", "x")), 409, "no earlier digest to go back to");
        refused(rollback(application, "prod", Map.of("reason", "x", "digest", v2)), 409, "runs now");
        refused(rollback(application, "prod", Map.of("reason", "x", "digest", neverRan)), 422, "never ran");

        assertThat(pipeline.tag(repositoryPath, "prod")).as("the tag did not move").contains(v2);
        assertThat(history(application, "prod").getList("deployments")).isEqualTo(before);
        assertThat(history(application, "prod").getString("current")).isEqualTo(v2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> decoded(application),
                List::isEmpty);
    }

    private void promoteUnprobed(String application, String repository, String repositoryPath, String... digests) {
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(digests[0]), null,
                "release 1", "pipeline", UNPROBED));
        for (int i = 1; i < digests.length; i++) {
            promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(digests[i]),
                    Digest.parse(digests[i - 1]), "release " + (i + 1), "pipeline", UNPROBED));
        }
        String last = digests[digests.length - 1];
        registry.retag(repositoryPath, last, "prod");
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && last.equals(h.getString("current")));
    }

    private static void refused(Response response, int status, String detail) {
        response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", is(status))
                .body(containsString(detail));
    }

    private static Response rollback(String application, String stage, Map<String, String> body) {
        RequestSpecification request = given().contentType("application/json").header("Authorization", "Bearer " + TOKEN);
        return request.body(body).post(path(application, stage));
    }

    private static String path(String application, String stage) {
        return "/api/v1/applications/" + application + "/stages/" + stage + "/rollback";
    }

}
