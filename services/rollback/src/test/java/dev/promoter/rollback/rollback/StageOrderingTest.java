package dev.promoter.rollback.rollback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.testinfra.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Promotions raced against rollbacks on one stage, round after round: the registry's tag must end equal to the
 * stage's recorded current digest after every round, and the history must hold every move. The test plays promote
 * exactly as promote moves a tag: under the shared stage tag lock in a transaction of the same database, the retag,
 * then the {@code service.upgraded} event after the commit.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class StageOrderingTest extends StageWatchingTest {

    private static final int ROUNDS = 200;

    @Inject
    AgroalDataSource database;

    @Test
    void racedPromotionsAndRollbacksLeaveTheTagOnTheRecordedCurrentDigestAfterEveryRound() throws Exception {
        String application = "race-" + suffix();
        String repositoryPath = "race/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        List<String> candidates = List.of(push(repositoryPath, "2.0.0"), push(repositoryPath, "3.0.0"));
        StagePolicy policy = new StagePolicy(List.of(), null);
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> h != null);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        int rolledBack = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                JsonPath before = history(application, "prod");
                String current = before.getString("current");
                String next = candidates.get(round % 2).equals(current) ? candidates.get((round + 1) % 2)
                        : candidates.get(round % 2);
                String reason = "race promotion " + round;
                Runnable promotion = () -> promote(application, repositoryPath, repository, next, current, reason,
                        policy);
                java.util.function.Supplier<Integer> rollback = () -> given()
                        .contentType("application/json").header("Authorization", "Bearer test-token")
                        .body(Map.of("reason", "race rollback", "digest", v1))
                        .post("/api/v1/applications/{a}/stages/prod/rollback", application).statusCode();
                int status;
                // Every third round each order for sure; in the others both at once, whoever wins.
                switch (round % 3) {
                    case 1 -> {
                        status = rollback.get();
                        promotion.run();
                    }
                    case 2 -> {
                        promotion.run();
                        status = rollback.get();
                    }
                    default -> {
                        CompletableFuture<Void> promoted = CompletableFuture.runAsync(promotion, threads);
                        CompletableFuture<Integer> rolled = CompletableFuture.supplyAsync(rollback, threads);
                        promoted.get();
                        status = rolled.get();
                    }
                }
                assertThat(status).as("round %d", round).isIn(202, 409);
                rolledBack += status == 202 ? 1 : 0;

                int r = round;
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonPath after = history(application, "prod");
                    assertThat(after.getList("deployments.reason", String.class)).as("round %d", r).contains(reason);
                    assertThat(running(repositoryPath)).as("round %d: the tag is the recorded current digest", r)
                            .isEqualTo(after.getString("current"));
                });
            }
        } finally {
            threads.shutdownNow();
        }
        // Every move on one page: the history pages at 50 by default, 500 at most.
        JsonPath end = given().auth().oauth2("viewer-token").queryParam("limit", 500)
                .get("/api/v1/applications/{application}/stages/{stage}/history", application, "prod").jsonPath();
        assertThat(end.getString("nextBefore")).as("no older page").isNull();
        assertThat(end.getList("deployments")).hasSize(1 + ROUNDS + rolledBack);
        assertThat(rolledBack).as("rollbacks that went first won").isPositive();
    }

    /** What promote does: lock the stage's tag, retag, commit; then announce the move. */
    private void promote(String application, String repositoryPath, String repository, String digest,
                         String previous, String reason, StagePolicy policy) {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "select pg_advisory_xact_lock(hashtext('stage-tag'), hashtext(?))")) {
                lock.setString(1, application + "/prod");
                lock.execute();
            }
            registry.retag(repositoryPath, digest, "prod");
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(digest),
                Digest.parse(previous), reason, "pipeline", policy));
    }
}
