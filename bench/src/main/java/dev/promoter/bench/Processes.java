package dev.promoter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** What the benchmark reads about a process from outside: its resident memory, and a JFR profile via jcmd. */
final class Processes {

    private Processes() {
    }

    /** VmRSS of {@code /proc/<pid>/status} in MB, or NaN when the process is gone. */
    static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * CPU time, user + system in milliseconds, of each named process tree: the root, its live descendants (the
     * PostgreSQL server's backends, say) and the children it has already reaped. Processes outside every tree are
     * summed under {@code "other"}. Read from {@code /proc/<pid>/stat}, in clock ticks of 10 ms.
     */
    static Map<String, Long> cpuMsByTree(Map<String, Long> roots) {
        Map<Long, long[]> stats = new HashMap<>(); // pid -> {ppid, own ticks, reaped children's ticks}
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    stats.put(Long.parseLong(name), new long[] {Long.parseLong(f[1]),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])});
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we listed /proc
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc: " + e.getMessage(), e);
        }
        Map<Long, String> treeOf = new HashMap<>();
        roots.forEach((tree, pid) -> treeOf.put(pid, tree));
        Map<String, Long> ticks = new HashMap<>();
        stats.forEach((pid, stat) -> {
            String tree = null;
            long at = pid;
            for (int depth = 0; tree == null && at > 1 && depth < 64; depth++) {
                tree = treeOf.get(at);
                long[] up = stats.get(at);
                at = up == null ? 0 : up[0];
            }
            ticks.merge(tree == null ? "other" : tree, stat[1] + stat[2], Long::sum);
        });
        Map<String, Long> ms = new HashMap<>();
        ticks.forEach((tree, t) -> ms.put(tree, t * 10));
        return ms;
    }

    /** Busy and total CPU time of the whole machine so far, in ms summed over all cores ({@code /proc/stat}). */
    static long[] machineCpuMs() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {(total - idle) * 10, total * 10};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
        }
    }

    /** Whether the process has a file whose name ends in {@code fileName} mapped into its memory. */
    static boolean maps(long pid, String fileName) {
        try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            return lines.anyMatch(line -> line.endsWith("/" + fileName));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Runs a command and returns its output; fails on a non-zero exit or after {@code timeout}. */
    static String run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ": " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void startJfr(long pid) {
        run(List.of("jcmd", Long.toString(pid), "JFR.start", "name=bench", "settings=profile"), Duration.ofSeconds(30));
    }

    static void stopJfr(long pid, Path file) {
        run(List.of("jcmd", Long.toString(pid), "JFR.stop", "name=bench", "filename=" + file), Duration.ofSeconds(60));
    }

    /**
     * The hottest methods of a recording: by the top frame of each execution sample, and by the first frame of our
     * own code ({@code dev.promoter}) on the sampled stack — where the time goes, and which of our calls led there.
     */
    static String hotMethods(Path recording, int top) {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> ourFrames = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                topFrames.merge(name(frames.get(0)), 1, Integer::sum);
                frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("dev.promoter."))
                        .findFirst().ifPresent(f -> ourFrames.merge(name(f), 1, Integer::sum));
            }
        } catch (IOException e) {
            return "could not read " + recording + ": " + e.getMessage();
        }
        int total = samples;
        StringBuilder text = new StringBuilder(samples + " execution samples\n  top frames:\n");
        text.append(ranked(topFrames, top, total));
        text.append("  first frame of dev.promoter code on the stack (").append(ourFrames.values().stream()
                .mapToInt(Integer::intValue).sum()).append(" samples):\n").append(ranked(ourFrames, top, total));
        return text.toString();
    }

    /**
     * The garbage collections of a recording: how many, by name, and their pauses (p50, p99, longest, sum), so a
     * young-collection tail can be set beside a latency tail.
     */
    static String gcPauses(Path recording) {
        Map<String, List<Double>> pauses = new java.util.TreeMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("jdk.GarbageCollection")) {
                    pauses.computeIfAbsent(event.getString("name"), k -> new ArrayList<>())
                            .add(event.getDuration("sumOfPauses").toNanos() / 1e6);
                }
            }
        } catch (IOException e) {
            return "could not read " + recording + ": " + e.getMessage();
        }
        StringBuilder text = new StringBuilder("  garbage collections:\n");
        pauses.forEach((name, ms) -> {
            Distribution d = Distribution.of(ms);
            text.append(String.format(java.util.Locale.ROOT,
                    "    %-20s %5d, pauses p50 %.1f ms, p99 %.1f ms, longest %.1f ms, in all %.0f ms%n", name,
                    d.count(), d.p50(), d.p99(), d.max(), ms.stream().mapToDouble(Double::doubleValue).sum()));
        });
        return text.toString();
    }

    private static String ranked(Map<String, Integer> counts, int top, int total) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        return sorted.stream().limit(top).map(e -> String.format("    %5.1f%%  %s%n", 100.0 * e.getValue() / total,
                e.getKey())).collect(Collectors.joining());
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
