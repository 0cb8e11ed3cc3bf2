package dev.promoter.rollback.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.rollback.history.Deployment;
import dev.promoter.rollback.history.Stage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchedStagesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final HealthCheckPolicy HEALTH = new HealthCheckPolicy(URI.create("http://127.0.0.1:1/health"),
            Duration.ofMillis(200), Duration.ofMillis(100), 3, 1, Duration.ofSeconds(2));

    private static Deployment move(long id, String digest, boolean healthy, String chain) {
        Deployment d = Deployment.promotion("cart", "prod", digest, "promoted", chain, T0.plusSeconds(id));
        d.id = id;
        d.healthyAt = healthy ? T0.plusSeconds(id + 1) : null;
        return d;
    }

    private static Stage stage(Deployment current, HealthCheckPolicy health) {
        Stage stage = new Stage();
        stage.application = "cart";
        stage.stage = "prod";
        stage.repository = "127.0.0.1:15000/shop/cart";
        stage.healthPolicy(health);
        stage.runs(current);
        return stage;
    }

    @Test
    void watchesTheNewestMoveWithItsRollbackTargetAndTheTargetsLatestJourney() {
        Deployment back = move(3, "a", false, "chain-a-again");
        List<Deployment> history = List.of(move(1, "a", true, "chain-a"), move(2, "b", false, "chain-b"), back,
                move(4, "c", false, "chain-c"));

        WatchedStage watched = WatchedStages.watched(stage(history.get(3), HEALTH), history, Set.of("b")).orElseThrow();

        assertThat(watched.digest()).isEqualTo("c");
        assertThat(watched.deploymentId()).isEqualTo(4);
        assertThat(watched.chainId()).isEqualTo("chain-c");
        assertThat(watched.promotedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(watched.policy()).isEqualTo(HEALTH);
        assertThat(watched.healthy()).isFalse();
        assertThat(watched.rollbackTarget()).isEqualTo(new WatchedStage.Target("a", "chain-a-again"));
    }

    @Test
    void aStageWithoutHealthChecksOrHoldingAFailedDigestIsNotWatched() {
        Deployment only = move(1, "a", false, "chain-a");
        assertThat(WatchedStages.watched(stage(only, null), List.of(only), Set.of())).isEmpty();

        only.held(T0, "HTTP 503", "no earlier digest was healthy in prod");
        assertThat(WatchedStages.watched(stage(only, HEALTH), List.of(only), Set.of("a"))).isEmpty();
    }

    @Test
    void aFirstDeploymentIsWatchedWithoutATarget() {
        Deployment only = move(1, "a", true, "chain-a");

        WatchedStage watched = WatchedStages.watched(stage(only, HEALTH), List.of(only), Set.of()).orElseThrow();

        assertThat(watched.healthy()).isTrue();
        assertThat(watched.rollbackTarget()).isNull();
    }
}
