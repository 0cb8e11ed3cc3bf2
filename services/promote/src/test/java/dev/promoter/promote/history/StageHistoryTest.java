package dev.promoter.promote.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageHistoryTest {

    private static Deployment move(String digest) {
        Deployment d = new Deployment();
        d.digest = digest;
        d.stage = "prod";
        return d;
    }

    @Test
    void theShownTargetIsTheNewestEarlierDigestFoundHealthyHereAndNotQuarantined() {
        StageHistory history = StageHistory.of("prod", List.of(move("a"), move("b"), move("c")), Set.of("a", "b"),
                Set.of());

        assertThat(history.current()).isEqualTo("c");
        assertThat(history.rollbackTarget()).isEqualTo("b");
        assertThat(history.deployments()).extracting(StageHistory.Entry::rollbackTarget).containsExactly(false, true, false);
    }

    @Test
    void aDigestNeverFoundHealthyHereIsNoTargetAsTheRollbackServiceWouldNotChooseIt() {
        StageHistory history = StageHistory.of("prod", List.of(move("a"), move("b"), move("c")), Set.of("a"),
                Set.of());

        assertThat(history.rollbackTarget()).isEqualTo("a");
        assertThat(StageHistory.of("dev", List.of(move("a"), move("b")), Set.of(), Set.of()).rollbackTarget()).isNull();
    }

    @Test
    void aQuarantinedDigestIsNoTarget() {
        assertThat(StageHistory.of("prod", List.of(move("a"), move("b"), move("c")), Set.of("a", "b"), Set.of("b"))
                .rollbackTarget()).isEqualTo("a");
    }
}
