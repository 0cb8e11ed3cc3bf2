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
