package dev.promoter.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time each process tree spent between two instants, read from {@code /proc} at both ends: where the machine's
 * two cores go while the throughput scenario runs.
 */
final class CpuWindow extends Thread {

    /** CPU milliseconds per tree within the window, and the machine's busy and total milliseconds over all cores. */
    record Result(Map<String, Long> cpuMs, long machineBusyMs, long machineTotalMs, Duration length) {
    }

    private final Map<String, Long> trees;
    private final Instant from;
    private final Instant to;
    private volatile Result result;

    CpuWindow(Map<String, Long> trees, Instant from, Instant to) {
        super("cpu-window");
        setDaemon(true);
        this.trees = Map.copyOf(trees);
        this.from = from;
        this.to = to;
    }

    @Override
    public void run() {
        try {
            sleepUntil(from);
            Map<String, Long> before = Processes.cpuMsByTree(trees);
            long[] machineBefore = Processes.machineCpuMs();
            long startNanos = System.nanoTime();
            sleepUntil(to);
            Map<String, Long> after = Processes.cpuMsByTree(trees);
            long[] machineAfter = Processes.machineCpuMs();
            Map<String, Long> spent = new LinkedHashMap<>();
            after.forEach((tree, ms) -> spent.put(tree, ms - before.getOrDefault(tree, 0L)));
            result = new Result(spent, machineAfter[0] - machineBefore[0], machineAfter[1] - machineBefore[1],
                    Duration.ofNanos(System.nanoTime() - startNanos));
        } catch (InterruptedException e) {
            // the scenario ended early: no result
        }
    }

    /** Empty when the scenario ended before the window did. */
    Optional<Result> result() {
        return Optional.ofNullable(result);
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
