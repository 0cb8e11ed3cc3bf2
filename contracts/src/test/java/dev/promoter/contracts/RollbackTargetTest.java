package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.contracts.RollbackTarget.Move;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RollbackTargetTest {

    private static Move healthy(String digest) {
        return new Move(digest, true);
    }

    private static Move neverHealthy(String digest) {
        return new Move(digest, false);
    }

    @Test
    void choosesTheNewestEarlierDigestThatWasHealthyInTheStage() {
        assertThat(RollbackTarget.choose(List.of(healthy("a"), healthy("b"), neverHealthy("c")), Set.of()))
                .contains("b");
    }

    @Test
    void skipsQuarantinedDigests() {
        assertThat(RollbackTarget.choose(List.of(healthy("a"), healthy("b"), neverHealthy("c")), Set.of("b")))
                .contains("a");
    }

    @Test
    void skipsDigestsNeverFoundHealthyInTheStage() {
        assertThat(RollbackTarget.choose(List.of(healthy("a"), neverHealthy("b"), neverHealthy("c")), Set.of()))
                .contains("a");
    }

    @Test
    void neverChoosesTheDigestTheStageRunsNow() {
        // a was healthy, b failed and was rolled back to a; now a fails too: b is quarantined, a is current.
        assertThat(RollbackTarget.choose(List.of(healthy("a"), neverHealthy("b"), neverHealthy("a")), Set.of("b")))
                .isEmpty();
        assertThat(RollbackTarget.choose(List.of(healthy("a"), healthy("b"), healthy("a")), Set.of()))
                .contains("b");
    }

    @Test
    void aDigestFoundHealthyInAnEarlierDeploymentCountsWhereverItAppearsLater() {
        // a healthy; b failed, rolled back to a (not yet healthy again); then c promoted and fails.
        List<Move> history = List.of(healthy("a"), neverHealthy("b"), neverHealthy("a"), neverHealthy("c"));

        assertThat(RollbackTarget.choose(history, Set.of("b"))).contains("a");
    }

    @Test
    void noTargetWhenNothingEarlierWasHealthy() {
        assertThat(RollbackTarget.choose(List.of(neverHealthy("a"), neverHealthy("b")), Set.of())).isEmpty();
    }

    @Test
    void noTargetForAFirstDeploymentOrAnEmptyHistory() {
        assertThat(RollbackTarget.choose(List.of(healthy("a")), Set.of())).isEmpty();
        assertThat(RollbackTarget.choose(List.of(), Set.of())).isEmpty();
    }

    @Test
    void noTargetWhenEveryHealthyEarlierDigestIsQuarantined() {
        assertThat(RollbackTarget.choose(List.of(healthy("a"), healthy("b"), neverHealthy("c")), Set.of("a", "b")))
                .isEmpty();
    }
}
