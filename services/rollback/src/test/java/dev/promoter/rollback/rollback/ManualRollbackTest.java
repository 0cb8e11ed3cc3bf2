package dev.promoter.rollback.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.contracts.RollbackTarget;
import dev.promoter.rollback.rollback.ManualRollback.Decision;
import dev.promoter.rollback.rollback.ManualRollback.Refusal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManualRollbackTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String D = "sha256:" + "d".repeat(64);

    private static RollbackTarget.Move healthy(String digest) {
        return new RollbackTarget.Move(digest, true);
    }

    private static RollbackTarget.Move unprobed(String digest) {
        return new RollbackTarget.Move(digest, false);
    }

    @Test
    void withoutANamedDigestItGoesToTheRollbackTarget() {
        assertThat(ManualRollback.decide(List.of(healthy(A), healthy(B), healthy(C)), Set.of(), Optional.empty()))
                .isEqualTo(new Decision(B, null));
    }

    @Test
    void withoutANamedDigestAndNoTargetItIsRefused() {
        assertThat(ManualRollback.decide(List.of(unprobed(A), unprobed(B)), Set.of(), Optional.empty()))
                .isEqualTo(new Decision(null, Refusal.NO_TARGET));
    }

    @Test
    void aNamedEarlierDigestNeedNotHaveBeenHealthy() {
        assertThat(ManualRollback.decide(List.of(unprobed(A), unprobed(B), unprobed(C)), Set.of(), Optional.of(A)))
                .isEqualTo(new Decision(A, null));
    }

    @Test
    void theNamedDigestMustNotBeTheCurrentOne() {
        assertThat(ManualRollback.decide(List.of(healthy(A), healthy(B)), Set.of(), Optional.of(B)).refusal())
                .isEqualTo(Refusal.CURRENT);
    }

    @Test
    void aDigestThatRanEarlierAndIsCurrentAgainIsTheCurrentOne() {
        assertThat(ManualRollback.decide(List.of(healthy(A), healthy(B), healthy(A)), Set.of(), Optional.of(A))
                .refusal()).isEqualTo(Refusal.CURRENT);
    }

    @Test
    void theNamedDigestMustHaveRunInTheStage() {
        assertThat(ManualRollback.decide(List.of(healthy(A), healthy(B)), Set.of(), Optional.of(D)).refusal())
                .isEqualTo(Refusal.NEVER_RAN);
        assertThat(ManualRollback.decide(List.of(), Set.of(), Optional.of(D)).refusal()).isEqualTo(Refusal.NEVER_RAN);
    }

    @Test
    void aQuarantinedNamedDigestIsRefusedUntilItsQuarantineIsLifted() {
        List<RollbackTarget.Move> history = List.of(healthy(A), healthy(B), healthy(C));
        assertThat(ManualRollback.decide(history, Set.of(A), Optional.of(A)).refusal()).isEqualTo(Refusal.QUARANTINED);
        assertThat(ManualRollback.decide(history, Set.of(), Optional.of(A)).digest()).isEqualTo(A);
    }
}
