package dev.promoter.bench;

import dev.promoter.contracts.Topics;
import dev.promoter.demo.PipelineApi;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.harness.OtlpReceiver;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What tracing costs the pipeline: the overhead scenario of {@link Bench} (the build call's 2xx → promote's
 * {@code movedAt} of the first stage, dev-only application, one artifact at a time) on a stack without tracing — the
 * floor — and on one exporting every span to an OTLP receiver on loopback, alternately, each on a fresh stack. The last
 * step of {@code ./pipeline bench}, or alone with {@code ./pipeline bench scenarios=tracing}; either way it writes the
 * section "Tracing cost" of {@code BENCHMARKS.md} (replacing the one there). Target (issue 17): tracing adds less than
 * 10 % to the overhead's p50.
 */
public final class TracingCost {

    static final String HEADING = "## Tracing cost";
    static final double TARGET = 0.10;
    private static final int WARMUP = 20;

    /** The samples of both kinds of stack, in milliseconds, and what the receiver got. */
    record Result(List<Double> untraced, List<Double> traced, long spans, int artifacts, int rounds,
                  Hops untracedHops, Hops tracedHops) {
    }

    /**
     * The overhead cut in two at the Kafka timestamp of {@code artifact.published} (set by build's producer): the build
     * service's part (call accepted → event produced) and promote's (event produced → dev tag moved), in milliseconds.
     */
    record Hops(List<Double> build, List<Double> promote, Map<String, Long> cpuMs, long[] measuredArtifacts) {

        static Hops empty() {
            return new Hops(new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(), new long[1]);
        }

        /** CPU milliseconds the service spent per measured artifact, over every stack of this kind. */
        double cpuPerArtifact(String service) {
            return measuredArtifacts[0] == 0 ? 0 : cpuMs.getOrDefault(service, 0L) / (double) measuredArtifacts[0];
        }
    }

    private TracingCost() {
    }

    /** {@code java ... dev.promoter.bench.TracingCost [artifacts] [rounds]}, default 60 artifacts, 2 rounds. */
    public static void main(String[] args) throws Exception {
        int artifacts = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path root = Path.of(System.getProperty("pipeline.root", ".")).toAbsolutePath().normalize();
        String loadAtStart = Report.loadAverage();
        Result result = measure(root, artifacts, rounds);
        writeSection(root.resolve("BENCHMARKS.md"), section(result, loadAtStart, Report.loadAverage()));
    }

    /** Both kinds of stack, {@code rounds} times each, alternately. */
    static Result measure(Path root, int artifacts, int rounds) throws Exception {
        List<Double> untraced = new ArrayList<>();
        List<Double> traced = new ArrayList<>();
        long[] spans = {0};
        Hops untracedHops = Hops.empty();
        Hops tracedHops = Hops.empty();
        for (int round = 0; round < rounds; round++) {
            for (boolean tracing : new boolean[] {false, true}) {
                List<Double> overhead = measure(root, tracing, artifacts, spans, tracing ? tracedHops : untracedHops);
                (tracing ? traced : untraced).addAll(overhead);
                Bench.log("tracing cost, round %d %s: p50 %.1f ms, p90 %.1f ms (n=%d)", round + 1,
                        tracing ? "traced" : "untraced", percentile(overhead, 50), percentile(overhead, 90),
                        overhead.size());
            }
        }
        return new Result(untraced, traced, spans[0], artifacts, rounds, untracedHops, tracedHops);
    }

    /** The section of BENCHMARKS.md: the traced overhead beside its floor, the same scenario untraced. */
    static String section(Result result, String loadAtStart, String loadAtEnd) {
        double floor50 = percentile(result.untraced(), 50);
        double traced50 = percentile(result.traced(), 50);
        double added = traced50 - floor50;
        double share = added / floor50;
        // On a machine busier than twice its CPUs the two stacks' difference drowns in the others' noise: say so
        // rather than judge the target on it.
        boolean loaded = busy(loadAtStart) || busy(loadAtEnd);
        String met = loaded ? "not judged: load average above twice the CPUs" : share < TARGET ? "yes" : "**no**";
        return HEADING + "\n\n"
                + "Written by `./pipeline bench` (or alone: `./pipeline bench scenarios=tracing`), bench `TracingCost`: the"
                + " pipeline-overhead scenario (build accepted → dev tag moved, one artifact at a time, " + WARMUP
                + " warm-up artifacts left out) on fresh stacks without tracing (the floor) and exporting every span"
                + " over OTLP/HTTP to a receiver on loopback (only `OTEL_EXPORTER_OTLP_ENDPOINT` and `_PROTOCOL` set, the"
                + " batch processor at its defaults), alternately, " + result.rounds() + " round(s) of "
                + result.artifacts() + " artifacts each; " + result.spans() + " spans received. Load average at"
                + " start / end: " + loadAtStart + " / " + loadAtEnd + ".\n\n"
                + "| scenario | n | p50 | p90 | floor p50 / p90 (untraced) | added at p50 | target | met? |\n"
                + "|---|---|---|---|---|---|---|---|\n"
                + String.format(Locale.ROOT, "| Pipeline overhead, traced | %d | %.1f ms | %.1f ms | %.1f ms / %.1f ms |"
                        + " %+.1f ms (%+.0f %%) | < %.0f %% of the floor's p50 | %s |%n", result.traced().size(),
                        traced50, percentile(result.traced(), 90), floor50, percentile(result.untraced(), 90), added,
                        share * 100, TARGET * 100, met)
                + hopRows(result);
    }

    /** Where the added time goes: each service's part of the overhead, traced beside untraced. */
    private static String hopRows(Result result) {
        if (result.tracedHops().build().isEmpty() || result.untracedHops().build().isEmpty()) {
            return "";
        }
        StringBuilder cpu = new StringBuilder("\nCPU each service spent per measured artifact (from `/proc`, after the"
                + " warm-up), traced beside untraced:\n\n| service | traced | untraced | added |\n|---|---|---|---|\n");
        for (String service : result.untracedHops().cpuMs().keySet()) {
            double t = result.tracedHops().cpuPerArtifact(service);
            double u = result.untracedHops().cpuPerArtifact(service);
            cpu.append(String.format(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %+.1f ms |%n", service, t, u, t - u));
        }
        return "\nThe same samples cut at the Kafka timestamp of `artifact.published` (build's producer clock):\n\n"
                + "| part | traced p50 | untraced p50 | added at p50 |\n|---|---|---|---|\n"
                + hopRow("build: call accepted → artifact.published produced", result.tracedHops().build(),
                        result.untracedHops().build())
                + hopRow("promote: artifact.published → dev tag moved", result.tracedHops().promote(),
                        result.untracedHops().promote())
                + cpu;
    }

    private static String hopRow(String part, List<Double> traced, List<Double> untraced) {
        double t = percentile(traced, 50);
        double u = percentile(untraced, 50);
        return String.format(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %+.1f ms |%n", part, t, u, t - u);
    }

    private static boolean busy(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]) > 2.0 * Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Replaces the section in the file (from its heading to the next {@code ## }), or appends it. */
    static void writeSection(Path file, String section) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
            int start = text.indexOf(HEADING + "\n");
            String updated;
            if (start < 0) {
                updated = text.stripTrailing() + "\n\n" + section;
            } else {
                int next = text.indexOf("\n## ", start + HEADING.length());
                updated = text.substring(0, start) + section + (next < 0 ? "" : "\n" + text.substring(next + 1));
            }
            Files.writeString(file, updated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Double> measure(Path root, boolean traced, int artifacts, long[] spans, Hops hops)
            throws Exception {
        OtlpReceiver receiver = traced ? OtlpReceiver.start() : null;
        LocalPipeline.Settings settings = new LocalPipeline.Settings(root, root.resolve("bench/target/tracing-logs"),
                root.resolve("bench/target/tracing-stack"), List.of());
        if (receiver != null) {
            // What a user sets to point the services at a collector, every other setting at its default (spans leave in
            // batches every 5 s): the tests' 100 ms batch delay would measure ten exports a second per service instead.
            settings = settings.withServiceEnvironment(receiver.exporterEnvironment());
        }
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
             PipelineEvents events = new PipelineEvents(pipeline.bootstrapServers())) {
            PipelineApi api = pipeline.api();
            RegistryClient registry = pipeline.registry();
            String application = "tracing-cost";
            Images images = new Images(registry, "bench/tracing");
            String definition = "application: " + application + "\nrepository: " + registry.registry() + "/"
                    + images.repository() + "\nstages:\n  - name: dev\n";
            retried(() -> api.definePipeline(application, definition));
            String reported = registry.registry() + "/" + images.repository();
            Map<String, Instant> accepted = new LinkedHashMap<>();
            events.recordHops(true);
            Map<String, Long> pids = new LinkedHashMap<>();
            pipeline.services().forEach((name, service) -> pids.put(name, service.pid()));
            Map<String, Long> cpuBefore = Map.of();
            for (int i = 0; i < artifacts + WARMUP; i++) {
                if (i == WARMUP) {
                    cpuBefore = Processes.cpuMsByTree(pids);
                }
                String digest = images.next();
                CompletableFuture<Instant> promoted = events.promoted(application, "dev", digest);
                int commit = i + 1;
                // A report answered too late on a loaded machine is sent again (a duplicate changes nothing); its
                // sample is left out, since the first attempt may have been taken long before the second returned.
                boolean again = retried(() -> api.reportBuild(application, reported, digest,
                        RollbackDriver.commit(commit), "bench"));
                Instant acceptedAt = Instant.now();
                promoted.get(60, TimeUnit.SECONDS);
                if (i >= WARMUP && !again) {
                    accepted.put(digest, acceptedAt);
                }
            }
            Map<String, Long> cpuAfter = Processes.cpuMsByTree(pids);
            for (String service : pids.keySet()) {
                hops.cpuMs().merge(service, cpuAfter.getOrDefault(service, 0L) - cpuBefore.getOrDefault(service, 0L),
                        Long::sum);
            }
            hops.measuredArtifacts()[0] += artifacts;
            List<Double> overhead = new ArrayList<>();
            for (var entry : api.promotedHistory(application, "dev")) {
                Instant acceptedAt = accepted.get(entry.path("digest").asText());
                if (acceptedAt != null) {
                    Instant moved = RollbackDriver.instant(entry.path("movedAt"));
                    overhead.add(Duration.between(acceptedAt, moved).toNanos() / 1e6);
                    events.seen(entry.path("digest").asText()).stream()
                            .filter(seen -> seen.topic().equals(Topics.ARTIFACTS.name())).findFirst()
                            .ifPresent(published -> {
                                Instant producedAt = Instant.ofEpochMilli(published.producedAtMs());
                                hops.build().add(Duration.between(acceptedAt, producedAt).toNanos() / 1e6);
                                hops.promote().add(Duration.between(producedAt, moved).toNanos() / 1e6);
                            });
                }
            }
            if (receiver != null && receiver.spans().isEmpty()) {
                throw new IllegalStateException("tracing on, yet no span reached the receiver");
            }
            if (receiver != null) {
                spans[0] += receiver.spans().size();
            }
            return overhead;
        } finally {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    /** Runs the call, once more (up to three times) when it times out; whether it had to be repeated. */
    private static boolean retried(Runnable call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return attempt > 1;
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 3 || !(e.getCause() instanceof java.net.http.HttpTimeoutException)) {
                    throw e;
                }
                Bench.log("a call timed out on the loaded machine; sending it again: %s", e.getMessage());
            }
        }
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
