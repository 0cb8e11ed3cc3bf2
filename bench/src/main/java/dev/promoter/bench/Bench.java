package dev.promoter.bench;

import dev.promoter.demo.PipelineApi;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.harness.ServiceProcess;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.OciRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./pipeline bench}: starts the real stack through the harness, runs the five scenarios of the benchmarks
 * issue with bounded counts, each beside a floor measured in the same run, and writes {@code BENCHMARKS.md} and
 * the raw samples under {@code bench/results}. Counts are {@code key=value} arguments (see {@link Settings}).
 */
public final class Bench {

    /** How much to measure; every count bounded, defaults per the benchmarks issue. */
    record Settings(int retags, int overhead, int rollbacks, int rollbackApps, int apps, int seconds, int warmup,
                    int loadRollbackApps, boolean jfr, Set<String> scenarios, int tracing, int tracingRounds) {

        /**
         * The scenarios, in the order they run; {@code scenarios=retag,overhead} runs only those. {@code tracing} runs
         * last, on stacks of its own ({@link TracingCost}).
         */
        static final List<String> SCENARIOS = List.of("first", "retag", "overhead", "rollback", "history",
                "throughput", "tracing");

        /** Every scenario, as {@code ./pipeline bench} runs by default; only then is BENCHMARKS.md written. */
        boolean all() {
            return scenarios.containsAll(SCENARIOS);
        }

        static Settings parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("arguments are key=value, e.g. rollbacks=200; got " + arg);
                }
                given.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            Settings settings = new Settings(number(given, "retags", 100), number(given, "overhead", 500),
                    number(given, "rollbacks", 200), number(given, "rollbackApps", 6), number(given, "apps", 50),
                    number(given, "seconds", 60), number(given, "warmup", 10), number(given, "loadRollbackApps", 6),
                    Boolean.parseBoolean(given.getOrDefault("jfr", "true")), scenarios(given.get("scenarios")),
                    number(given, "tracing", 60), number(given, "tracingRounds", 2));
            given.keySet().removeAll(List.of("retags", "overhead", "rollbacks", "rollbackApps", "apps", "seconds",
                    "warmup", "loadRollbackApps", "jfr", "scenarios", "tracing", "tracingRounds"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown settings " + given.keySet() + "; known: retags, overhead,"
                        + " rollbacks, rollbackApps, apps, seconds, warmup, loadRollbackApps, jfr, scenarios, tracing,"
                        + " tracingRounds");
            }
            return settings;
        }

        private static Set<String> scenarios(String list) {
            if (list == null) {
                return new LinkedHashSet<>(SCENARIOS);
            }
            Set<String> chosen = new LinkedHashSet<>();
            for (String name : list.split(",")) {
                if (!SCENARIOS.contains(name.trim())) {
                    throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + SCENARIOS);
                }
                chosen.add(name.trim());
            }
            return chosen;
        }

        private static int number(Map<String, String> given, String key, int fallback) {
            int value = given.containsKey(key) ? Integer.parseInt(given.get(key)) : fallback;
            if (value < 1) {
                throw new IllegalArgumentException(key + " must be at least 1");
            }
            return value;
        }
    }

    static final String FLOOR_REPOSITORY = "bench/floor";

    private final Settings settings;
    private final Path root;
    private final Path results;
    private final Report report;
    private LocalPipeline pipeline;
    private PipelineApi api;
    private RegistryClient registry;
    private PipelineEvents events;
    private HealthStub stub;
    private Images floorImage;

    private Bench(Settings settings, Path root) {
        this.settings = settings;
        this.root = root;
        this.results = root.resolve("bench/results");
        this.report = new Report(settings);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Path root = Path.of(System.getProperty("pipeline.root", ".")).toAbsolutePath().normalize();
        new Bench(settings, root).run();
    }

    private void run() throws Exception {
        if (settings.scenarios().equals(Set.of("retag"))) {
            retagAlone();
            return;
        }
        if (settings.scenarios().equals(Set.of("tracing"))) {
            tracingCost();
            return;
        }
        long began = System.nanoTime();
        report.machine(System.getenv().getOrDefault("BENCH_COMMIT", "unknown"));
        deleteCsvs();
        log("starting the stack (logs: bench/target/bench-logs)");
        pipeline = LocalPipeline.start(new LocalPipeline.Settings(root, root.resolve("bench/target/bench-logs"),
                root.resolve("bench/target/bench-stack"), List.of()));
        try {
            api = pipeline.api();
            registry = pipeline.registry();
            report.startTimes(pipeline.startTimes());
            log("stack ready in %.1f s", pipeline.startTimes().all().toMillis() / 1000.0);
            events = new PipelineEvents(pipeline.bootstrapServers());
            stub = new HealthStub();
            floorImage = new Images(registry, FLOOR_REPOSITORY);
            if (settings.all()) {
                footprintAtRest();
            }
            scenario("first", "first artifact", this::firstArtifact);
            scenario("retag", "retag cost", this::retagCost);
            scenario("overhead", "pipeline overhead", this::pipelineOverhead);
            scenario("rollback", "rollback reaction", this::rollbackReaction);
            scenario("history", "history length", this::historyLength);
            scenario("throughput", "throughput", this::throughput);
            if (settings.all()) {
                footprintAfter();
            }
        } finally {
            if (stub != null) {
                stub.close();
            }
            if (events != null) {
                events.close();
            }
            pipeline.close();
        }
        report.finished(Duration.ofNanos(System.nanoTime() - began));
        writeReport(began);
        if (settings.scenarios().contains("tracing")) {
            // On stacks of its own (traced and untraced, alternately), once the main stack is gone.
            tracingCost();
        }
    }

    /**
     * The tracing cost ({@link TracingCost}) on stacks of its own; its section of BENCHMARKS.md holds its own floor
     * (the same scenario untraced) and load average, so it replaces only that section, whatever else ran.
     */
    private void tracingCost() throws Exception {
        log("tracing cost: %d artifacts per stack, %d rounds", settings.tracing(), settings.tracingRounds());
        String loadAtStart = Report.loadAverage();
        TracingCost.Result result = TracingCost.measure(root, settings.tracing(), settings.tracingRounds());
        TracingCost.writeSection(root.resolve("BENCHMARKS.md"), TracingCost.section(result, loadAtStart,
                Report.loadAverage()));
        log("wrote the section '%s' of BENCHMARKS.md", TracingCost.HEADING);
    }

    /**
     * {@code scenarios=retag}: the retag cost needs only the registry, so only the registry starts; the client,
     * the bare floor and skopeo take turns on it exactly as in a whole run.
     */
    private void retagAlone() throws Exception {
        long began = System.nanoTime();
        report.machine(System.getenv().getOrDefault("BENCH_COMMIT", "unknown"));
        Path stack = root.resolve("bench/target/bench-registry");
        OciRegistry alone = new OciRegistry(stack, LoopbackPorts.free());
        log("starting the registry alone (scenarios=retag)");
        alone.start(false);
        try {
            registry = RegistryClient.forRegistry(alone.hostPort(), RegistryCredentials.anonymous());
            scenario("retag", "retag cost", this::retagCost);
        } finally {
            alone.stop();
        }
        report.finished(Duration.ofNanos(System.nanoTime() - began));
        writeReport(began);
    }

    /** BENCHMARKS.md after a whole run; after a chosen few, bench/target/BENCHMARKS-<scenarios>.md. */
    private void writeReport(long began) {
        Path file = settings.all() ? root.resolve("BENCHMARKS.md")
                : root.resolve("bench/target/BENCHMARKS-" + String.join("-", settings.scenarios()) + ".md");
        report.write(file);
        log("wrote %s and bench/results/*.csv in %.0f s", root.relativize(file), (System.nanoTime() - began) / 1e9);
    }

    private void scenario(String key, String name, Step step) {
        if (settings.scenarios().contains(key)) {
            step(name, step);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A scenario that fails is left out of the table with the reason, and the others still run. */
    private void step(String name, Step step) {
        long start = System.nanoTime();
        log("%s...", name);
        try {
            step.run();
            log("%s done in %.0f s", name, (System.nanoTime() - start) / 1e9);
        } catch (Exception | AssertionError e) {
            log("%s failed: %s", name, e);
            e.printStackTrace();
            report.failed(name, e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------ 5. footprint

    private void footprintAtRest() {
        RollbackDriver.sleep(Duration.ofSeconds(5));
        Csv csv = new Csv("service", "phase", "rss_mb");
        Map<String, Double> rest = new LinkedHashMap<>();
        pipeline.services().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(service -> {
            double rss = Processes.rssMb(service.pid());
            rest.put(service.name(), rss);
            csv.row(service.name(), "rest", rss);
        });
        report.rssAtRest(rest, idleJvmRss());
        Map<String, Boolean> archived = new LinkedHashMap<>();
        pipeline.services().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(service ->
                archived.put(service.name(), Processes.maps(service.pid(), "app-cds.jsa")));
        report.classArchives(archived);
        this.footprint = csv;
    }

    private Csv footprint;

    private void footprintAfter() {
        Map<String, Double> after = new LinkedHashMap<>();
        RollbackDriver.sleep(Duration.ofSeconds(3));
        for (ServiceProcess service : sortedServices()) {
            double rss = Processes.rssMb(service.pid());
            after.put(service.name(), rss);
            footprint.row(service.name(), "after-load", rss);
        }
        report.rssAfter(after);
        footprint.write(results.resolve("footprint.csv"));
        Csv start = new Csv("part", "ready_after_s");
        LocalPipeline.StartTimes times = pipeline.startTimes();
        start.row("kafka", times.kafka().toMillis() / 1000.0);
        start.row("postgres", times.postgres().toMillis() / 1000.0);
        start.row("registry", times.registry().toMillis() / 1000.0);
        times.services().forEach((name, at) -> start.row(name, at.toMillis() / 1000.0));
        start.row("all", times.all().toMillis() / 1000.0);
        start.write(results.resolve("start.csv"));
    }

    /** RSS of a JVM that does nothing, started with the services' JVM options. */
    private double idleJvmRss() {
        try {
            Process idle = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "@" + ServiceProcess.jvmOptionsFile(root), "-cp",
                    System.getProperty("java.class.path"), IdleJvm.class.getName(), "20000")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                RollbackDriver.sleep(Duration.ofSeconds(3));
                return Processes.rssMb(idle.pid());
            } finally {
                idle.destroyForcibly();
            }
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
    }

    private List<ServiceProcess> sortedServices() {
        List<ServiceProcess> services = new ArrayList<>();
        for (String name : LocalPipeline.SERVICES) {
            services.add(pipeline.services().get(name));
        }
        return services;
    }

    // ------------------------------------------------------------------------------------------ 4. retag cost

    private void retagCost() {
        Images image = new Images(registry, "bench/retag");
        String repository = image.repository();
        String digest = image.baseDigest();
        String source = "docker://" + registry.registry() + "/" + repository + "@" + digest;
        String target = "docker://" + registry.registry() + "/" + repository + ":current";
        Csv csv = new Csv("round", "method", "ms");
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        List<String> methods = List.of("ours", "bare", "skopeo");
        methods.forEach(m -> samples.put(m, new ArrayList<>()));
        int warmup = 10;
        try (BareRegistry bare = new BareRegistry(registry.registry())) {
            for (int round = -warmup; round < settings.retags(); round++) {
                for (int k = 0; k < methods.size(); k++) {
                    // Each round starts with another method, so no method always follows the same one.
                    String method = methods.get(Math.floorMod(round + k, methods.size()));
                    long start = System.nanoTime();
                    switch (method) {
                        case "ours" -> registry.retag(repository, digest, "current");
                        case "bare" -> bare.retag(repository, digest, "current");
                        default -> Processes.run(List.of("skopeo", "copy", "--quiet", "--preserve-digests",
                                "--src-tls-verify=false", "--dest-tls-verify=false", source, target),
                                Duration.ofSeconds(60));
                    }
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (round >= 0) {
                        samples.get(method).add(ms);
                        csv.row(round, method, ms);
                    }
                }
            }
        }
        csv.write(results.resolve("retag-cost.csv"));
        report.retag(Distribution.of(samples.get("ours")), Distribution.of(samples.get("bare")),
                Distribution.of(samples.get("skopeo")));
    }

    // ------------------------------------------------------------------------------------------ 2. overhead

    /**
     * The first artifact seconds after the stack is ready (after the RSS at rest is read), as a user meets it after
     * {@code ./pipeline up}: every consumer has only just joined its group. Information beside the overhead
     * scenario, which is measured warm.
     */
    private void firstArtifact() throws Exception {
        String application = "bench-first";
        Images images = devOnlyApplication(application, "bench/first");
        String reported = registry.registry() + "/" + images.repository();
        String digest = images.next();
        CompletableFuture<Instant> promoted = events.promoted(application, "dev", digest);
        api.reportBuild(application, reported, digest, RollbackDriver.commit(1), "bench");
        Instant acceptedAt = Instant.now();
        promoted.get(120, TimeUnit.SECONDS);
        Instant moved = RollbackDriver.instant(PipelineApi.stage(api.application(application), "dev").path("history")
                .get(0).path("movedAt"));
        report.firstArtifact(millis(acceptedAt, moved));
    }

    /** Defines an application whose pipeline is one stage, dev, without suites; returns its images. */
    private Images devOnlyApplication(String application, String repository) {
        Images images = new Images(registry, repository);
        api.definePipeline(application, "application: " + application + "\nrepository: " + registry.registry() + "/"
                + images.repository() + "\nstages:\n  - name: dev\n");
        return images;
    }

    private void pipelineOverhead() throws Exception {
        String application = "bench-overhead";
        Images images = devOnlyApplication(application, "bench/overhead");
        String reported = registry.registry() + "/" + images.repository();
        int warmup = 20;
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < settings.overhead() + warmup; i++) {
            digests.add(images.next());
        }
        record Sent(String digest, Instant sentAt, Instant acceptedAt, Instant readAt, double hopMs, double retagMs) {
        }
        List<Sent> sent = new ArrayList<>();
        try (KafkaHop hop = new KafkaHop(pipeline.bootstrapServers());
             BareRegistry bare = new BareRegistry(registry.registry())) {
            for (int i = 0; i < digests.size(); i++) {
                String digest = digests.get(i);
                CompletableFuture<Instant> promoted = events.promoted(application, "dev", digest);
                Instant sentAt = Instant.now();
                api.reportBuild(application, reported, digest, RollbackDriver.commit(i + 1), "bench");
                Instant acceptedAt = Instant.now();
                Instant readAt = promoted.get(30, TimeUnit.SECONDS);
                // The floor, side by side: one Kafka hop and one bare retag, right after each artifact.
                double hopMs = hop.hopMs();
                long start = System.nanoTime();
                bare.retag(floorImage.repository(), floorImage.baseDigest(), "floor-overhead");
                double retagMs = (System.nanoTime() - start) / 1e6;
                if (i >= warmup) {
                    sent.add(new Sent(digest, sentAt, acceptedAt, readAt, hopMs, retagMs));
                }
            }
        }
        Map<String, Instant> movedAt = new LinkedHashMap<>();
        for (var entry : api.promotedHistory(application, "dev")) {
            movedAt.put(entry.path("digest").asText(), RollbackDriver.instant(entry.path("movedAt")));
        }
        Csv csv = new Csv("digest", "sent_at", "accepted_at", "moved_at", "event_read_at", "overhead_ms",
                "overhead_from_sent_ms", "event_read_ms", "floor_hop_ms", "floor_retag_ms", "floor_ms");
        List<Double> overhead = new ArrayList<>();
        List<Double> fromSent = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> hops = new ArrayList<>();
        List<Double> retags = new ArrayList<>();
        for (Sent s : sent) {
            Instant moved = movedAt.get(s.digest());
            double ms = moved == null ? Double.NaN : millis(s.acceptedAt(), moved);
            double msSent = moved == null ? Double.NaN : millis(s.sentAt(), moved);
            if (moved != null) {
                overhead.add(ms);
                fromSent.add(msSent);
            }
            floor.add(s.hopMs() + s.retagMs());
            hops.add(s.hopMs());
            retags.add(s.retagMs());
            csv.row(s.digest(), s.sentAt(), s.acceptedAt(), moved, s.readAt(), ms, msSent,
                    millis(s.acceptedAt(), s.readAt()), s.hopMs(), s.retagMs(), s.hopMs() + s.retagMs());
        }
        csv.write(results.resolve("pipeline-overhead.csv"));
        report.overhead(Distribution.of(overhead), Distribution.of(fromSent), Distribution.of(floor),
                Distribution.of(hops), Distribution.of(retags), sent.size() - overhead.size());
    }

    // ------------------------------------------------------------------------------------------ 1. rollback

    private List<RollbackDriver> rollbackDrivers(String prefix, int count) throws Exception {
        List<RollbackDriver> drivers = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            String application = prefix + k;
            drivers.add(new RollbackDriver(application, new Images(registry, "bench/" + application), api, registry,
                    stub, new Images(registry, "bench/floor-" + application)));
        }
        ExecutorService setUp = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> done = new ArrayList<>();
            drivers.forEach(d -> done.add(setUp.submit(d::setUp)));
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            setUp.shutdownNow();
        }
        return drivers;
    }

    private void rollbackReaction() throws Exception {
        List<RollbackDriver> drivers = rollbackDrivers("bench-rb-", settings.rollbackApps());
        int warmupPerApp = 2;
        int perApp = (settings.rollbacks() + drivers.size() - 1) / drivers.size();
        List<RollbackDriver.Sample> samples = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(drivers.size());
        // The rollback service alone is profiled here, at rest: where a rollback's time goes besides the retag.
        Map<String, Long> profiled = Map.of("rollback", pipeline.services().get("rollback").pid());
        boolean jfr = settings.jfr() && startJfr(profiled);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (RollbackDriver driver : drivers) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < perApp + warmupPerApp; i++) {
                        RollbackDriver.Sample sample = driver.cycle();
                        if (i >= warmupPerApp) {
                            samples.add(sample);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
            if (jfr) {
                stopJfr(profiled, "-rollback-scenario", "rollback, during the rollback scenario (at rest)");
            }
        }
        Csv csv = rollbackCsv();
        samples.forEach(s -> rollbackRow(csv, "rest", s));
        this.rollbackCsv = csv;
        csv.write(results.resolve("rollback-reaction.csv"));
        report.rollback(reactions(samples), seen(samples), floors(samples));
    }

    private Csv rollbackCsv;

    /**
     * Scenario {@code history} ({@link HistoryLength}): rollback reaction and history reads of a stage with 10 000
     * recorded moves beside one with 10, alternating.
     */
    private void historyLength() throws Exception {
        HistoryLength.seed(pipeline.servicesJdbcUrl(), HistoryLength.LONG_PREFIX + 1, HistoryLength.LONG);
        HistoryLength.seed(pipeline.servicesJdbcUrl(), HistoryLength.SHORT_PREFIX + 1, HistoryLength.SHORT);
        RollbackDriver longer = rollbackDrivers(HistoryLength.LONG_PREFIX, 1).get(0);
        RollbackDriver shorter = rollbackDrivers(HistoryLength.SHORT_PREFIX, 1).get(0);
        HistoryLength.Result result = HistoryLength.measure(api, longer, shorter);
        Csv csv = new Csv("history", "what", "ms");
        result.longCycles().forEach(s -> csv.row(HistoryLength.LONG, "rollback reaction", s.reactionMs()));
        result.shortCycles().forEach(s -> csv.row(HistoryLength.SHORT, "rollback reaction", s.reactionMs()));
        result.longReads().forEach((read, ms) -> ms.forEach(m -> csv.row(HistoryLength.LONG, read, m)));
        result.shortReads().forEach((read, ms) -> ms.forEach(m -> csv.row(HistoryLength.SHORT, read, m)));
        csv.write(results.resolve("history-length.csv"));
        Map<String, Distribution[]> reads = new LinkedHashMap<>();
        result.longReads().forEach((read, ms) -> reads.put(read, new Distribution[] {Distribution.of(ms),
                Distribution.of(result.shortReads().get(read))}));
        report.historyLength(HistoryLength.LONG, HistoryLength.SHORT, reactions(result.longCycles()),
                reactions(result.shortCycles()), reads);
    }

    private static Csv rollbackCsv() {
        return new Csv("phase", "application", "cycle", "verdict_at", "moved_at", "seen_at", "reaction_ms", "seen_ms",
                "floor_retag_ms");
    }

    private static void rollbackRow(Csv csv, String phase, RollbackDriver.Sample s) {
        csv.row(phase, s.application(), s.cycle(), s.verdictAt(), s.movedAt(), s.seenAt(), s.reactionMs(), s.seenMs(),
                s.floorRetagMs());
    }

    private static Distribution reactions(List<RollbackDriver.Sample> samples) {
        return Distribution.of(samples.stream().map(RollbackDriver.Sample::reactionMs).toList());
    }

    private static Distribution seen(List<RollbackDriver.Sample> samples) {
        return Distribution.of(samples.stream().map(RollbackDriver.Sample::seenMs).filter(d -> !d.isNaN()).toList());
    }

    private static Distribution floors(List<RollbackDriver.Sample> samples) {
        return Distribution.of(samples.stream().map(RollbackDriver.Sample::floorRetagMs).toList());
    }

    // ------------------------------------------------------------------------------------------ 3. throughput

    private void throughput() throws Exception {
        double ceiling = registryRetagRate(Duration.ofSeconds(3), 4) / 3;
        int apps = settings.apps();
        List<Images> images = new ArrayList<>();
        ExecutorService setUp = Executors.newFixedThreadPool(4);
        try {
            List<Future<Images>> pushed = new ArrayList<>();
            for (int i = 1; i <= apps; i++) {
                String application = "bench-tp-" + i;
                pushed.add(setUp.submit(() -> {
                    Images image = new Images(registry, "bench/" + application);
                    api.definePipeline(application, throughputDefinition(application,
                            registry.registry() + "/" + image.repository()));
                    return image;
                }));
            }
            for (Future<Images> f : pushed) {
                images.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            setUp.shutdownNow();
        }
        List<RollbackDriver> underLoad = rollbackDrivers("bench-rb-load-", settings.loadRollbackApps());

        Map<String, Long> pids = new LinkedHashMap<>();
        sortedServices().forEach(s -> pids.put(s.name(), s.pid()));
        Csv rss = new Csv("second", "service", "rss_mb");
        Map<String, Double> maxRss = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread rssSampler = new Thread(() -> {
            for (int second = 0; sampling.get(); second++) {
                for (Map.Entry<String, Long> p : pids.entrySet()) {
                    double mb = Processes.rssMb(p.getValue());
                    rss.row(second, p.getKey(), mb);
                    maxRss.merge(p.getKey(), mb, Math::max);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");

        Instant start = Instant.now();
        Instant windowStart = start.plusSeconds(settings.warmup());
        Instant end = windowStart.plusSeconds(settings.seconds());
        record Carried(String application, String digest, Instant reportedAt, Instant acceptedAt, Instant stageReadAt) {
        }
        List<Carried> carried = Collections.synchronizedList(new ArrayList<>());
        AtomicLong lost = new AtomicLong();
        List<RollbackDriver.Sample> rollbacks = Collections.synchronizedList(new ArrayList<>());
        List<String> loadErrors = Collections.synchronizedList(new ArrayList<>());
        events.recordHops(true);
        ExecutorService threads = Executors.newFixedThreadPool(apps + underLoad.size());
        Map<String, Long> trees = new LinkedHashMap<>(pids);
        trees.putAll(pipeline.infrastructurePids());
        trees.put("benchmark (this JVM)", ProcessHandle.current().pid());
        CpuWindow cpu = new CpuWindow(trees, windowStart, end);
        cpu.start();
        rssSampler.start();
        boolean jfr = settings.jfr() && startJfr(pids);
        log("throughput: %d applications, %d s warm-up, %d s measured", apps, settings.warmup(), settings.seconds());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < apps; i++) {
                String application = "bench-tp-" + (i + 1);
                Images image = images.get(i);
                String reported = registry.registry() + "/" + image.repository();
                done.add(threads.submit(() -> {
                    int n = 0;
                    while (Instant.now().isBefore(end)) {
                        String digest = image.next();
                        CompletableFuture<Instant> inStage = events.promoted(application, "stage", digest);
                        Instant reportedAt = Instant.now();
                        api.reportBuild(application, reported, digest, RollbackDriver.commit(++n), "bench");
                        Instant acceptedAt = Instant.now();
                        try {
                            Instant readAt = inStage.get(Math.max(1, Duration.between(Instant.now(), end).toSeconds() + 30),
                                    TimeUnit.SECONDS);
                            carried.add(new Carried(application, digest, reportedAt, acceptedAt, readAt));
                        } catch (java.util.concurrent.TimeoutException e) {
                            lost.incrementAndGet();
                            events.forget(application, "stage", digest);
                        }
                    }
                    return null;
                }));
            }
            for (RollbackDriver driver : underLoad) {
                done.add(threads.submit(() -> {
                    while (Instant.now().isBefore(end)) {
                        try {
                            RollbackDriver.Sample sample = driver.cycle();
                            if (sample.verdictAt().isAfter(windowStart) && sample.movedAt().isBefore(end)) {
                                rollbacks.add(sample);
                            }
                        } catch (RuntimeException e) {
                            loadErrors.add(driver.application() + ": " + e.getMessage());
                            RollbackDriver.sleep(Duration.ofSeconds(1));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(settings.warmup() + settings.seconds() + 120, TimeUnit.SECONDS);
            }
            cpu.join(Math.max(1, Duration.between(Instant.now(), end).toMillis()) + 10_000);
        } finally {
            threads.shutdownNow();
            cpu.interrupt();
            sampling.set(false);
            rssSampler.interrupt();
            events.recordHops(false);
        }
        if (jfr) {
            stopJfr(pids, "", null);
        }

        Csv csv = new Csv("application", "digest", "reported_at", "accepted_at", "stage_event_read_at", "latency_ms",
                "in_window");
        List<Double> latencies = new ArrayList<>();
        int inWindow = 0;
        Map<String, List<Double>> hops = new LinkedHashMap<>();
        for (String hop : Report.HOPS) {
            hops.put(hop, new ArrayList<>());
        }
        Csv hopCsv = new Csv("digest", "hop", "ms");
        for (Carried c : carried) {
            boolean counted = !c.stageReadAt().isBefore(windowStart) && c.stageReadAt().isBefore(end);
            double latency = millis(c.reportedAt(), c.stageReadAt());
            csv.row(c.application(), c.digest(), c.reportedAt(), c.acceptedAt(), c.stageReadAt(), latency, counted);
            if (counted) {
                inWindow++;
                latencies.add(latency);
                hopTimes(c.digest(), c.acceptedAt()).forEach((hop, ms) -> {
                    hops.get(hop).add(ms);
                    hopCsv.row(c.digest(), hop, ms);
                });
            }
        }
        csv.write(results.resolve("throughput.csv"));
        hopCsv.write(results.resolve("throughput-hops.csv"));
        rss.write(results.resolve("rss-under-load.csv"));
        rollbacks.forEach(s -> rollbackRow(rollbackCsv == null ? (rollbackCsv = rollbackCsv()) : rollbackCsv, "load", s));
        if (rollbackCsv != null) {
            rollbackCsv.write(results.resolve("rollback-reaction.csv"));
        }
        Map<String, Distribution> hopStats = new LinkedHashMap<>();
        hops.forEach((hop, values) -> hopStats.put(hop, Distribution.of(values)));
        report.throughput(inWindow / (double) settings.seconds(), inWindow, settings.seconds(), apps, lost.get(),
                Distribution.of(latencies), hopStats, ceiling, reactions(rollbacks), seen(rollbacks), floors(rollbacks),
                loadErrors);
        int reachedStage = inWindow;
        cpu.result().ifPresent(window -> report.cpuPerArtifact(window, reachedStage));
        Map<String, Double> peak = new LinkedHashMap<>();
        pids.keySet().forEach(name -> peak.put(name, maxRss.getOrDefault(name, Double.NaN)));
        peak.forEach((name, mb) -> footprint.row(name, "load-max", mb));
        report.rssUnderLoad(peak);
    }

    /**
     * Milliseconds of each hop of one artifact, from the Kafka timestamps the services' producers set: build
     * accepted → artifact.published produced → promoted into dev → dev suites reported → promoted into test → test
     * suites reported → promoted into stage.
     */
    private Map<String, Double> hopTimes(String digest, Instant acceptedAt) {
        Map<String, Long> at = new LinkedHashMap<>();
        for (PipelineEvents.Seen seen : events.seen(digest)) {
            String key = seen.topic().contains("artifacts") ? "artifact"
                    : seen.topic().contains("test-results") ? "tested:" + seen.stage()
                    : seen.topic().contains("promotions") ? "promoted:" + seen.stage() : null;
            if (key != null) {
                at.merge(key, seen.producedAtMs(), Math::min);
            }
        }
        List<String> order = List.of("artifact", "promoted:dev", "tested:dev", "promoted:test", "tested:test",
                "promoted:stage");
        Map<String, Double> hops = new LinkedHashMap<>();
        long previous = acceptedAt.toEpochMilli();
        for (int i = 0; i < order.size(); i++) {
            Long now = at.get(order.get(i));
            if (now == null) {
                return Map.of();
            }
            hops.put(Report.HOPS.get(i), (double) (now - previous));
            previous = now;
        }
        return hops;
    }

    private static String throughputDefinition(String application, String repository) {
        String suite = "    suites:\n      - name: image-checks\n        kind: image-checks\n"
                + "        requiredLabels: [org.opencontainers.image.revision]\n";
        return "application: " + application + "\nrepository: " + repository + "\nstages:\n"
                + "  - name: dev\n" + suite
                + "  - name: test\n" + suite
                + "  - name: stage\n";
    }

    /** Bare retags per second the registry sustains over {@code connections} keep-alive connections. */
    private double registryRetagRate(Duration during, int connections) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        AtomicLong count = new AtomicLong();
        // A repository per connection: concurrent writes in one repository make its reads answer 500.
        List<Images> images = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            images.add(new Images(registry, "bench/ceiling-" + c));
        }
        long end = System.nanoTime() + during.toNanos();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Images image : images) {
                done.add(threads.submit(() -> {
                    try (BareRegistry bare = new BareRegistry(registry.registry())) {
                        while (System.nanoTime() < end) {
                            bare.retag(image.repository(), image.baseDigest(), "ceiling");
                            count.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(during.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        return count.get() / (during.toNanos() / 1e9);
    }

    private boolean startJfr(Map<String, Long> pids) {
        try {
            pids.values().forEach(Processes::startJfr);
            return true;
        } catch (RuntimeException e) {
            log("no JFR profile: %s", e.getMessage());
            return false;
        }
    }

    /** Stops the recordings, writes {@code jfr-<service><suffix>.txt} and puts each profile in the report. */
    private void stopJfr(Map<String, Long> pids, String suffix, String title) {
        Path dir = root.resolve("bench/target/jfr");
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Long> p : pids.entrySet()) {
                Path file = dir.resolve(p.getKey() + suffix + ".jfr");
                Processes.stopJfr(p.getValue(), file);
                String hot = Processes.hotMethods(file, 8) + Processes.gcPauses(file);
                Files.writeString(results.resolve("jfr-" + p.getKey() + suffix + ".txt"), hot);
                report.profile(title == null ? p.getKey() : title, hot);
            }
        } catch (Exception e) {
            log("could not read the JFR profiles: %s", e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void deleteCsvs() throws java.io.IOException {
        if (Files.isDirectory(results)) {
            try (var files = Files.list(results)) {
                for (Path file : files.toList()) {
                    if (file.toString().endsWith(".csv") || file.toString().endsWith(".txt")) {
                        Files.delete(file);
                    }
                }
            }
        }
        Files.createDirectories(results);
    }

    static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %tT] %s%n", new java.util.Date(), String.format(format, args));
        System.out.flush();
    }
}
