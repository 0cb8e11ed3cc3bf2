package dev.promoter.rollback.rollback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.messaging.Contexts;
import dev.promoter.messaging.StageTagLock;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.testinfra.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The stage-tag lock as a contract between promote and rollback: while promote's path to a stage's tag holds the
 * library's {@link StageTagLock} (as {@code PromotionRecorder} takes it, in a transaction of the shared database), the
 * rollback service's manual rollback of the same stage waits for it and moves nothing; a rollback of another stage
 * does not wait. Once promote's transaction ends, the waiting rollback goes through.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class StageTagLockTest extends StageWatchingTest {

    @Inject
    Vertx vertx;

    @Inject
    AgroalDataSource database;

    @Test
    void aRollbackWaitsWhilePromoteHoldsTheStagesTagLockAndGoesThroughAfter() throws Exception {
        String application = "lock-" + suffix();
        String repositoryPath = "lock/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        StagePolicy policy = new StagePolicy(List.of(), null);
        for (String stage : List.of("stage", "prod")) {
            registry.retag(repositoryPath, v1, stage);
            promotions.publish(new ServiceDeployed(application, repository, stage, Digest.parse(v1), null, "first",
                    "pipeline", policy));
            registry.retag(repositoryPath, v2, stage);
            promotions.publish(new ServiceUpgraded(application, repository, stage, Digest.parse(v2), Digest.parse(v1),
                    "second", "pipeline", policy));
            await().atMost(WAIT).until(() -> {
                var history = history(application, stage);
                return history != null && v2.equals(history.getString("current"));
            });
        }

        CompletableFuture<Void> promoteDone = new CompletableFuture<>();
        CompletableFuture<Void> promoteHolds = new CompletableFuture<>();
        // Promote's path: the library's lock in a transaction, held until the test lets the "move" end.
        CompletableFuture<Void> promote = Contexts.onFreshContext(vertx, () -> {
            io.vertx.core.Context context = Vertx.currentContext();
            return Panache.withTransaction(() -> StageTagLock.take(application, "prod")
                    .invoke(() -> promoteHolds.complete(null))
                    // The session must be used on its own context again once the test lets the move end.
                    .chain(() -> Uni.createFrom().completionStage(promoteDone)
                            .emitOn(command -> context.runOnContext(ignored -> command.run()))));
        }).subscribeAsCompletionStage();
        promoteHolds.get();

        CompletableFuture<Integer> prodRollback = CompletableFuture.supplyAsync(() -> rollBack(application, "prod", v1));
        await().atMost(WAIT).until(() -> waitingForTheStageTagLock(application, "prod") == 1);
        assertThat(rollBack(application, "stage", v1)).as("another stage does not wait").isEqualTo(202);
        assertThat(pipeline.tag(repositoryPath, "stage")).contains(v1);
        assertThat(prodRollback).as("the rollback of prod waits for promote's move").isNotDone();
        assertThat(running(repositoryPath)).as("prod's tag is left alone meanwhile").isEqualTo(v2);

        promoteDone.complete(null);
        promote.get();
        assertThat(prodRollback.get()).isEqualTo(202);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(running(repositoryPath)).isEqualTo(v1);
            assertThat(history(application, "prod").getString("current")).isEqualTo(v1);
        });
    }

    private static int rollBack(String application, String stage, String digest) {
        return given().contentType("application/json").header("Authorization", "Bearer test-token")
                .body(Map.of("reason", "lock test", "digest", digest))
                .post("/api/v1/applications/{a}/stages/{s}/rollback", application, stage).statusCode();
    }

    /** Sessions waiting for this stage's tag lock: advisory two-key locks show their keys as unsigned oids. */
    private int waitingForTheStageTagLock(String application, String stage) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select count(*) from pg_locks where locktype = 'advisory' and not granted and objsubid = 2
                       and classid::bigint = (hashtext('stage-tag')::bigint & 4294967295)
                       and objid::bigint = (hashtext(?)::bigint & 4294967295)""")) {
            statement.setString(1, application + "/" + stage);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
