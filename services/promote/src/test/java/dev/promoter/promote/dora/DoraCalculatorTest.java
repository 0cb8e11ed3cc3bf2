package dev.promoter.promote.dora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.promoter.promote.dora.DoraCalculator.Move;
import dev.promoter.promote.dora.DoraCalculator.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoraCalculatorTest {

    private static final Instant NOW = Instant.parse("2026-03-31T00:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);

    /**
     * A month of prod, figured by hand:
     * <pre>
     * A 02-20 (before the window; its episode too)
     * B 03-02 12:00, commit 10:00 (2 h), healthy 12:10
     * C 03-10 09:00, commit 03-09 09:00 (24 h), quarantined 09:30, rolled back to B 09:30:05, B healthy 09:45
     * D 03-15 00:00, commit unknown, healthy 00:05
     * E 03-20 06:00, commit 00:00 (6 h), held 07:00 (no rollback)
     * F 03-21 07:00, commit 05:00 (2 h), healthy 08:00  (E's episode: 03-20 07:00 to 03-21 08:00 = 25 h)
     * G 03-30 12:00, commit 11:00 (1 h), quarantined 12:30, rolled back to F 12:31, not healthy yet
     * </pre>
     * Deployments B..G = 6 in 30 days: 0.2 a day. Lead times 1, 2, 2, 6, 24 h: median 2 h. Failed C, E, G: 3 of 6.
     * Restores 15 min and 25 h: median 12 h 37 min 30 s; G's episode is open.
     */
    private static final List<Move> MOVES = List.of(
            move("A", "2026-02-20T00:00:00Z", "2026-02-19T00:00:00Z", false),
            move("B", "2026-03-02T12:00:00Z", "2026-03-02T10:00:00Z", false),
            move("C", "2026-03-10T09:00:00Z", "2026-03-09T09:00:00Z", false),
            move("B", "2026-03-10T09:30:05Z", null, true),
            move("D", "2026-03-15T00:00:00Z", null, false),
            move("E", "2026-03-20T06:00:00Z", "2026-03-20T00:00:00Z", false),
            move("F", "2026-03-21T07:00:00Z", "2026-03-21T05:00:00Z", false),
            move("G", "2026-03-30T12:00:00Z", "2026-03-30T11:00:00Z", false),
            move("F", "2026-03-30T12:31:00Z", null, true));
    private static final List<Signal> SIGNALS = List.of(
            unhealthy("A", "2026-02-20T01:00:00Z"),
            healthy("A", "2026-02-20T02:00:00Z"),
            healthy("B", "2026-03-02T12:10:00Z"),
            unhealthy("C", "2026-03-10T09:30:00Z"),
            unhealthy("C", "2026-03-10T09:30:05Z"),
            healthy("B", "2026-03-10T09:45:00Z"),
            healthy("D", "2026-03-15T00:05:00Z"),
            unhealthy("E", "2026-03-20T07:00:00Z"),
            healthy("F", "2026-03-21T08:00:00Z"),
            unhealthy("G", "2026-03-30T12:30:00Z"),
            unhealthy("G", "2026-03-30T12:31:00Z"));

    @Test
    void aScriptedMonthGivesTheHandComputedFigures() {
        DoraFigures figures = DoraCalculator.compute("prod", MOVES, SIGNALS, NOW, WINDOW);

        assertThat(figures.deployments()).isEqualTo(6);
        assertThat(figures.deploymentsPerDay()).isEqualTo(0.2);
        assertThat(figures.leadTime()).isEqualTo(Duration.ofHours(2));
        assertThat(figures.leadTimeSamples()).isEqualTo(5);
        assertThat(figures.failedDeployments()).isEqualTo(3);
        assertThat(figures.changeFailureRate()).isEqualTo(0.5);
        assertThat(figures.timeToRestore()).isEqualTo(Duration.ofHours(12).plusMinutes(37).plusSeconds(30));
        assertThat(figures.restores()).isEqualTo(2);
        assertThat(figures.unrestored()).isEqualTo(1);
    }

    @Test
    void aShorterWindowSeesOnlyItsOwnMoves() {
        DoraFigures week = DoraCalculator.compute("prod", MOVES, SIGNALS, NOW, Duration.ofDays(7));

        // F (03-24 is the window's start: F at 03-21 is out) leaves G only: 1 deployment, failed, lead 1 h.
        assertThat(week.deployments()).isEqualTo(1);
        assertThat(week.deploymentsPerDay()).isEqualTo(1 / 7.0);
        assertThat(week.leadTime()).isEqualTo(Duration.ofHours(1));
        assertThat(week.changeFailureRate()).isEqualTo(1.0);
        assertThat(week.timeToRestore()).isNull();
        assertThat(week.restores()).isZero();
        assertThat(week.unrestored()).isEqualTo(1);
    }

    @Test
    void aStageWithoutMovesHasNoRatesToShow() {
        DoraFigures none = DoraCalculator.compute("prod", List.of(), List.of(), NOW, WINDOW);

        assertThat(none.deployments()).isZero();
        assertThat(none.deploymentsPerDay()).isZero();
        assertThat(none.leadTime()).isNull();
        assertThat(none.changeFailureRate()).isNull();
        assertThat(none.timeToRestore()).isNull();
    }

    @Test
    void aCommitTimeAfterTheMoveIsNoLeadTime() {
        DoraFigures figures = DoraCalculator.compute("prod",
                List.of(move("X", "2026-03-30T00:00:00Z", "2026-03-30T01:00:00Z", false)), List.of(), NOW, WINDOW);

        assertThat(figures.deployments()).isEqualTo(1);
        assertThat(figures.leadTime()).isNull();
        assertThat(figures.leadTimeSamples()).isZero();
    }

    @Test
    void theWindowMustBeLongerThanZero() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DoraCalculator.compute("prod", MOVES, SIGNALS, NOW, Duration.ZERO));
    }

    private static Move move(String digest, String at, String commit, boolean rollback) {
        return new Move(digest, Instant.parse(at), commit == null ? null : Instant.parse(commit), rollback);
    }

    private static Signal unhealthy(String digest, String at) {
        return new Signal(digest, Instant.parse(at), false);
    }

    private static Signal healthy(String digest, String at) {
        return new Signal(digest, Instant.parse(at), true);
    }
}
