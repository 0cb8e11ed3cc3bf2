package dev.promoter.bench;

import dev.promoter.demo.PipelineApi;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.harness.OtlpReceiver;
import dev.promoter.oci.RegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What tracing costs the pipeline: the overhead scenario of {@link Bench} (the build call's 2xx → promote's
 * {@code movedAt} of the first stage, dev-only application, one artifact at a time) on a stack without tracing and
 * on one exporting every span to an OTLP receiver on loopback, alternately, each on a fresh stack. Prints p50 and
 * p90 of each. {@code java ... dev.promoter.bench.TracingCost [artifacts] [rounds]}, default 60 artifacts, 2 rounds.
 */
public final class TracingCost {

    private static final int WARMUP = 20;

    private TracingCost() {
    }

    public static void main(String[] args) throws Exception {
        int artifacts = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path root = Path.of(System.getProperty("pipeline.root", ".")).toAbsolutePath().normalize();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (boolean traced : new boolean[] {false, true}) {
                List<Double> overhead = measure(root, traced, artifacts);
                results.computeIfAbsent(traced ? "traced" : "untraced", k -> new ArrayList<>()).addAll(overhead);
                System.out.printf("round %d %s: p50 %.1f ms, p90 %.1f ms (n=%d)%n", round + 1,
                        traced ? "traced  " : "untraced", percentile(overhead, 50), percentile(overhead, 90),
                        overhead.size());
            }
        }
        results.forEach((kind, values) -> System.out.printf("all %s: p50 %.1f ms, p90 %.1f ms (n=%d)%n", kind,
                percentile(values, 50), percentile(values, 90), values.size()));
    }

    private static List<Double> measure(Path root, boolean traced, int artifacts) throws Exception {
        OtlpReceiver receiver = traced ? OtlpReceiver.start() : null;
        LocalPipeline.Settings settings = new LocalPipeline.Settings(root, root.resolve("bench/target/tracing-logs"),
                root.resolve("bench/target/tracing-stack"), List.of());
        if (receiver != null) {
            settings = settings.withServiceEnvironment(receiver.serviceEnvironment());
        }
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
             PipelineEvents events = new PipelineEvents(pipeline.bootstrapServers())) {
            PipelineApi api = pipeline.api();
            RegistryClient registry = pipeline.registry();
            String application = "tracing-cost";
            Images images = new Images(registry, "bench/tracing");
            api.definePipeline(application, "application: " + application + "\nrepository: " + registry.registry()
                    + "/" + images.repository() + "\nstages:\n  - name: dev\n");
            String reported = registry.registry() + "/" + images.repository();
            Map<String, Instant> accepted = new LinkedHashMap<>();
            for (int i = 0; i < artifacts + WARMUP; i++) {
                String digest = images.next();
                CompletableFuture<Instant> promoted = events.promoted(application, "dev", digest);
                api.reportBuild(application, reported, digest, RollbackDriver.commit(i + 1), "bench");
                Instant acceptedAt = Instant.now();
                promoted.get(30, TimeUnit.SECONDS);
                if (i >= WARMUP) {
                    accepted.put(digest, acceptedAt);
                }
            }
            List<Double> overhead = new ArrayList<>();
            for (var entry : PipelineApi.stage(api.application(application), "dev").path("history")) {
                Instant acceptedAt = accepted.get(entry.path("digest").asText());
                if (acceptedAt != null) {
                    Instant moved = RollbackDriver.instant(entry.path("movedAt"));
                    overhead.add(Duration.between(acceptedAt, moved).toNanos() / 1e6);
                }
            }
            if (receiver != null && receiver.spans().isEmpty()) {
                throw new IllegalStateException("tracing on, yet no span reached the receiver");
            }
            if (receiver != null) {
                System.out.printf("  the receiver got %d spans in %d exports%n", receiver.spans().size(),
                        receiver.exports());
            }
            return overhead;
        } finally {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
