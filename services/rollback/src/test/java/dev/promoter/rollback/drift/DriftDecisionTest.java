package dev.promoter.rollback.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a mismatch between a stage's tag and its history is drift, and when it is a move still being recorded. */
class DriftDecisionTest {

    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
    private static final Duration CONFIRM = Duration.ofSeconds(10);

    @Test
    void aTagThatAgreesWithTheHistoryIsInSyncAndForgetsEarlierSightings() {
        DriftDecision.Result result = DriftDecision.check(new DriftDecision.Sighting(7, "b", T0), 7, "a", "a",
                T0.plusSeconds(60), CONFIRM);

        assertThat(result.kind()).isEqualTo(DriftDecision.Kind.IN_SYNC);
        assertThat(result.sighting()).isNull();
    }

    @Test
    void oneMismatchIsNotDriftYet() {
        DriftDecision.Result result = DriftDecision.check(null, 7, "a", "b", T0, CONFIRM);

        assertThat(result.kind()).isEqualTo(DriftDecision.Kind.FIRST_SEEN);
        assertThat(result.sighting()).isEqualTo(new DriftDecision.Sighting(7, "b", T0));
    }

    @Test
    void theSameMismatchSeenAgainAfterTheConfirmationTimeIsDrift() {
        DriftDecision.Sighting first = new DriftDecision.Sighting(7, "b", T0);

        assertThat(DriftDecision.check(first, 7, "a", "b", T0.plusSeconds(5), CONFIRM).kind())
                .isEqualTo(DriftDecision.Kind.WAITING);
        assertThat(DriftDecision.check(first, 7, "a", "b", T0.plusSeconds(10), CONFIRM).kind())
                .isEqualTo(DriftDecision.Kind.CONFIRMED);
        assertThat(DriftDecision.check(first, 7, "a", null, T0.plusSeconds(10), CONFIRM).kind())
                .as("the tag went away meanwhile: a new sighting").isEqualTo(DriftDecision.Kind.FIRST_SEEN);
    }

    @Test
    void aPromotionRecordedMeanwhileStartsOver() {
        // Promote moved the tag to b, and its event was recorded between the checks: the history now says b.
        DriftDecision.Sighting first = new DriftDecision.Sighting(7, "b", T0);

        assertThat(DriftDecision.check(first, 8, "b", "b", T0.plusSeconds(30), CONFIRM).kind())
                .isEqualTo(DriftDecision.Kind.IN_SYNC);
        assertThat(DriftDecision.check(first, 8, "c", "b", T0.plusSeconds(30), CONFIRM).kind())
                .isEqualTo(DriftDecision.Kind.FIRST_SEEN);
    }
}
