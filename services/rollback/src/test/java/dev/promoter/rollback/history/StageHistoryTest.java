package dev.promoter.rollback.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageHistoryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Deployment move(long id, String digest, boolean healthy) {
        Deployment d = Deployment.promotion("cart", "prod", digest, "promoted " + digest, "chain-" + digest,
                T0.plusSeconds(id));
        d.id = id;
        d.healthyAt = healthy ? T0.plusSeconds(id).plusMillis(500) : null;
        return d;
    }

    private static Stage stage(String current, String healthUrl) {
        Stage stage = new Stage();
        stage.application = "cart";
        stage.stage = "prod";
        stage.repository = "127.0.0.1:15000/shop/cart";
        stage.currentDigest = current;
        stage.healthUrl = healthUrl;
        return stage;
    }

    @Test
    void listsNewestFirstWithTheCurrentDeploymentAndTheRollbackTargetMarked() {
        List<Deployment> moves = List.of(move(1, "a", true), move(2, "b", true), move(3, "c", false));

        StageHistory history = StageHistory.of(stage("c", "http://127.0.0.1:1/health"), moves, Set.of());

        assertThat(history.current()).isEqualTo("c");
        assertThat(history.rollbackTarget()).isEqualTo("b");
        assertThat(history.health()).isEqualTo("watching");
        assertThat(history.deployments()).extracting(StageHistory.Entry::digest).containsExactly("c", "b", "a");
        assertThat(history.deployments()).extracting(StageHistory.Entry::current).containsExactly(true, false, false);
        assertThat(history.deployments()).extracting(StageHistory.Entry::rollbackTarget).containsExactly(false, true, false);
    }

    @Test
    void marksOnlyTheNewestEntryOfTheTargetAndShowsQuarantine() {
        Deployment back = move(5, "a", false);
        back.rollbackOf = "c";
        List<Deployment> moves = List.of(move(1, "a", true), move(2, "b", true), move(3, "c", false), move(4, "b", false),
                back);
        moves.get(2).failed(T0.plusSeconds(3), "HTTP 503");

        StageHistory history = StageHistory.of(stage("a", "http://127.0.0.1:1/health"), moves, Set.of("c"));

        assertThat(history.rollbackTarget()).isEqualTo("b");
        assertThat(history.quarantined()).containsExactly("c");
        assertThat(history.deployments()).extracting(StageHistory.Entry::rollbackTarget)
                .containsExactly(false, true, false, false, false);
        assertThat(history.deployments().get(0).rollbackOf()).isEqualTo("c");
        assertThat(history.deployments().get(2).quarantined()).isTrue();
        assertThat(history.deployments().get(2).unhealthyAt()).isNotNull();
    }

    @Test
    void saysWhetherTheStageIsProbedHealthyOrHeld() {
        assertThat(StageHistory.of(stage("a", null), List.of(move(1, "a", false)), Set.of()).health())
                .isEqualTo("unprobed");
        assertThat(StageHistory.of(stage("a", "http://127.0.0.1:1/h"), List.of(move(1, "a", true)), Set.of()).health())
                .isEqualTo("healthy");
        Deployment held = move(1, "a", false);
        held.held(T0, "HTTP 503", "no earlier digest was healthy in prod");
        StageHistory history = StageHistory.of(stage("a", "http://127.0.0.1:1/h"), List.of(held), Set.of("a"));
        assertThat(history.health()).isEqualTo("held");
        assertThat(history.rollbackTarget()).isNull();
        assertThat(history.deployments().get(0).heldReason()).isEqualTo("no earlier digest was healthy in prod");
    }
}
