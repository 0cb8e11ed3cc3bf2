package dev.promoter.rollback.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.contracts.RollbackTarget;
import dev.promoter.messaging.Contexts;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rollback target the database chooses for a verdict (a bounded read, whatever the length of the history) is the
 * one the rule of {@link RollbackTarget} chooses from the whole history in memory, over many random histories written
 * to the real database, with the correlation id of the newest move that brought the target.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RollbackTargetQueryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Inject
    Vertx vertx;

    @Inject
    DeploymentRepository deployments;

    @Inject
    QuarantineRepository quarantines;

    @Test
    void theDatabaseChoosesTheTargetTheRuleChooses() {
        Random random = new Random(20);
        int withTarget = 0;
        for (int round = 0; round < 60; round++) {
            String application = "target-" + UUID.randomUUID().toString().substring(0, 8);
            List<Deployment> history = new ArrayList<>();
            int moves = 1 + random.nextInt(12);
            for (int i = 0; i < moves; i++) {
                Deployment d = Deployment.promotion(application, "prod", "sha256:" + "abcde".charAt(random.nextInt(5)),
                        "promoted", "chain-" + i, T0.plusSeconds(i));
                d.healthyAt = random.nextInt(3) == 0 ? T0.plusSeconds(i) : null;
                history.add(d);
            }
            Set<String> quarantined = new HashSet<>();
            for (char c : "abcde".toCharArray()) {
                if (random.nextInt(4) == 0) {
                    quarantined.add("sha256:" + c);
                }
            }
            String current = history.get(history.size() - 1).digest;
            Optional<TargetMove> byDatabase = write(application, history, quarantined)
                    .chain(() -> Contexts.onFreshContext(vertx, () -> Panache.withSession(() ->
                            deployments.rollbackTarget(application, "prod", current))))
                    .await().atMost(Duration.ofSeconds(30));
            Optional<String> byRule = RollbackTarget.choose(history.stream()
                    .map(d -> new RollbackTarget.Move(d.digest, d.isHealthy())).toList(), quarantined);

            assertThat(byDatabase.map(TargetMove::digest)).as("round %d: %s, quarantined %s", round,
                    history.stream().map(d -> d.digest.substring(7) + (d.isHealthy() ? "+" : "")).toList(),
                    quarantined).isEqualTo(byRule);
            byDatabase.ifPresent(target -> assertThat(target.chainId()).isEqualTo(history.stream()
                    .filter(d -> d.digest.equals(target.digest())).reduce((a, b) -> b).orElseThrow().chainId));
            withTarget += byRule.isPresent() ? 1 : 0;
        }
        assertThat(withTarget).as("rounds with a target").isBetween(10, 50);
    }

    private Uni<Void> write(String application, List<Deployment> history, Set<String> quarantined) {
        return Contexts.onFreshContext(vertx, () -> Panache.withTransaction(() -> {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (Deployment d : history) {
                all = all.chain(() -> deployments.persistAndFlush(d).replaceWithVoid());
            }
            for (String digest : quarantined) {
                all = all.chain(() -> quarantines.quarantine(application, "prod", digest, "test", T0));
            }
            return all;
        }));
    }
}
