package dev.promoter.promote.dora;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The four DORA figures of one application's stage over a window, from the stage's moves and health signals.
 * <ul>
 *   <li><b>deployment frequency</b>: moves into the stage in the window (rollbacks not counted) per day;</li>
 *   <li><b>lead time for changes</b>: the median time from a moved digest's commit to its move into the stage, over
 *       the moves in the window whose commit time is known;</li>
 *   <li><b>change failure rate</b>: moves in the window found unhealthy in the stage before the stage's next move
 *       (rolled back, held or quarantined) ÷ moves in the window;</li>
 *   <li><b>time to restore</b>: the median time from an unhealthy verdict in the stage to the stage being healthy
 *       again, over the episodes that began in the window and ended.</li>
 * </ul>
 * Plain Java: no clock of its own, no I/O.
 */
public final class DoraCalculator {

    private DoraCalculator() {
    }

    /** A move of a digest into the stage; {@code rollback} when it moved back to an earlier digest. */
    public record Move(String digest, Instant movedAt, Instant commitTime, boolean rollback) {
    }

    /** A health signal of the stage: unhealthy (rolled back, held, quarantined) or healthy, about a digest. */
    public record Signal(String digest, Instant at, boolean healthy) {
    }

    public static DoraFigures compute(String stage, List<Move> moves, List<Signal> signals, Instant now,
                                      Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be longer than zero");
        }
        Instant from = now.minus(window);
        List<Move> ordered = moves.stream().sorted(Comparator.comparing(Move::movedAt)).toList();
        List<Signal> orderedSignals = signals.stream().sorted(Comparator.comparing(Signal::at)).toList();

        List<Move> deployments = new ArrayList<>();
        List<Duration> leadTimes = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < ordered.size(); i++) {
            Move move = ordered.get(i);
            if (move.rollback() || move.movedAt().isBefore(from) || move.movedAt().isAfter(now)) {
                continue;
            }
            deployments.add(move);
            if (move.commitTime() != null && !move.commitTime().isAfter(move.movedAt())) {
                leadTimes.add(Duration.between(move.commitTime(), move.movedAt()));
            }
            Instant until = nextDeployment(ordered, i).map(Move::movedAt).orElse(now);
            if (foundUnhealthy(orderedSignals, move, until)) {
                failed++;
            }
        }

        List<Duration> restores = new ArrayList<>();
        int unrestored = 0;
        Instant episodeStart = null;
        for (Signal signal : orderedSignals) {
            if (signal.at().isAfter(now)) {
                break;
            }
            if (!signal.healthy() && episodeStart == null) {
                episodeStart = signal.at();
            } else if (signal.healthy() && episodeStart != null) {
                if (!episodeStart.isBefore(from)) {
                    restores.add(Duration.between(episodeStart, signal.at()));
                }
                episodeStart = null;
            }
        }
        if (episodeStart != null && !episodeStart.isBefore(from)) {
            unrestored = 1;
        }

        double days = window.toMillis() / (double) Duration.ofDays(1).toMillis();
        return new DoraFigures(stage, window, deployments.size(), deployments.size() / days,
                median(leadTimes), leadTimes.size(),
                failed, deployments.isEmpty() ? null : failed / (double) deployments.size(),
                median(restores), restores.size(), unrestored);
    }

    private static Optional<Move> nextDeployment(List<Move> ordered, int index) {
        for (int j = index + 1; j < ordered.size(); j++) {
            if (!ordered.get(j).rollback()) {
                return Optional.of(ordered.get(j));
            }
        }
        return Optional.empty();
    }

    private static boolean foundUnhealthy(List<Signal> signals, Move move, Instant until) {
        return signals.stream().anyMatch(signal -> !signal.healthy() && signal.digest().equals(move.digest())
                && !signal.at().isBefore(move.movedAt()) && signal.at().isBefore(until));
    }

    /** The median; the mean of the two middle values for an even count; null for none. */
    static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle)
                : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }
}
