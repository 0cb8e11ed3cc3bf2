package dev.promoter.bench;

import dev.promoter.harness.LocalPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the figures of one run and writes {@code BENCHMARKS.md}. */
final class Report {

    /** The hops of an artifact through dev → test → stage, in order. */
    static final List<String> HOPS = List.of("build accepted → artifact.published produced",
            "artifact.published → promoted into dev (tag moved, event produced)",
            "promoted into dev → dev suite result produced", "dev suite result → promoted into test",
            "promoted into test → test suite result produced", "test suite result → promoted into stage");

    private final Bench.Settings settings;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> profiles = new LinkedHashMap<>();
    private final List<String> details = new ArrayList<>();
    private String machine;
    private String startedAt;
    private String loadAtStart;
    private LocalPipeline.StartTimes start;
    private Map<String, Double> rssRest = Map.of();
    private Map<String, Double> rssLoad = Map.of();
    private Map<String, Double> rssAfter = Map.of();
    private double idleJvmRss = Double.NaN;
    private Duration took;

    Report(Bench.Settings settings) {
        this.settings = settings;
    }

    void machine(String commit) {
        startedAt = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        loadAtStart = loadAverage();
        machine = "| | |\n|---|---|\n"
                + "| CPUs (`nproc`) | " + Runtime.getRuntime().availableProcessors() + " × " + cpuModel() + " |\n"
                + "| memory | " + memory() + " |\n"
                + "| Java | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (services: the options of `infra/local/service-jvm.options`, their AppCDS archive and"
                + " `MALLOC_ARENA_MAX=1`, as every launcher starts them) |\n"
                + "| commit | `" + commit + "` |\n"
                + "| date | " + startedAt + " |\n";
    }

    void startTimes(LocalPipeline.StartTimes times) {
        this.start = times;
        double all = seconds(times.all());
        double infra = Math.max(seconds(times.kafka()), Math.max(seconds(times.postgres()), seconds(times.registry())));
        rows.add(row("Stack start → all four services ready", "1", fmt(all, "s"), "—", fmt(infra, "s") + " (infrastructure)",
                ratio(all, infra), "≤ 15 s", all <= 15));
    }

    void rssAtRest(Map<String, Double> rest, double idleJvm) {
        this.rssRest = rest;
        this.idleJvmRss = idleJvm;
        rest.forEach((service, mb) -> rows.add(row("RSS at rest: " + service, "1", fmt(mb, "MB"), "—",
                fmt(idleJvm, "MB") + " (idle JVM)", ratio(mb, idleJvm), "≤ 200 MB", mb <= 200)));
    }

    /** Whether each service runs from its AppCDS archive: the JVM ignores a mismatched one without a word. */
    void classArchives(Map<String, Boolean> mapped) {
        StringBuilder text = new StringBuilder("Class archive (AppCDS, `app-cds.jsa`) mapped by each service:");
        mapped.forEach((service, yes) -> text.append(' ').append(service).append(yes ? " yes;" : " **no**;"));
        details.add(text.substring(0, text.length() - 1) + ".");
    }

    /** Where the machine's CPU went during the throughput window, per process tree and per artifact carried. */
    void cpuPerArtifact(CpuWindow.Result window, int carried) {
        double seconds = window.length().toMillis() / 1000.0;
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "CPU during the throughput window (%.0f s,"
                        + " read from /proc at both ends): the machine was busy %.0f%% of its %d cores' time; %d artifacts"
                        + " reached stage in it. Per process tree (a process with its children), CPU time in the window"
                        + " and divided by those artifacts — it includes the rollback cycles running beside the load:%n%n"
                        + "| process | CPU s | cores busy | CPU ms per artifact |%n|---|---|---|---|%n", seconds,
                100.0 * window.machineBusyMs() / Math.max(1, window.machineTotalMs()),
                Runtime.getRuntime().availableProcessors(), carried));
        window.cpuMs().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> text.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %s |%n", e.getKey(),
                        e.getValue() / 1000.0, e.getValue() / 1000.0 / seconds,
                        carried == 0 ? "—" : String.format(Locale.ROOT, "%.0f", e.getValue() / (double) carried))));
        details.add(text.toString());
    }

    void rssUnderLoad(Map<String, Double> peak) {
        this.rssLoad = peak;
    }

    void rssAfter(Map<String, Double> after) {
        this.rssAfter = after;
    }

    void retag(Distribution ours, Distribution bare, Distribution skopeo) {
        rows.add(row("Retag: ours (RegistryClient.retag) vs bare GET+PUT", n(ours), ms(ours.p50()), ms(ours.p99()),
                ms(bare.p50()) + " / " + ms(bare.p99()) + " (bare)", ratio(ours.p50(), bare.p50()) + " (p50)",
                "≤ 1.5× bare", ours.p50() <= 1.5 * bare.p50()));
        rows.add(row("Retag: ours vs `skopeo copy --preserve-digests`", n(skopeo), ms(ours.p50()), ms(ours.p99()),
                ms(skopeo.p50()) + " / " + ms(skopeo.p99()) + " (skopeo)", ratio(ours.p50(), skopeo.p50()) + " (p50)",
                "≤ 0.2× skopeo", ours.p50() <= 0.2 * skopeo.p50()));
        details.add(String.format(Locale.ROOT, "Retag cost, %d rounds after 10 of warm-up, the three methods in rotating"
                        + " order: ours p50 %s p99 %s; bare p50 %s p99 %s; skopeo p50 %s p99 %s (p99 ratio ours/bare %s).",
                ours.count(), ms(ours.p50()), ms(ours.p99()), ms(bare.p50()), ms(bare.p99()), ms(skopeo.p50()),
                ms(skopeo.p99()), ratio(ours.p99(), bare.p99())));
    }

    void firstArtifact(double ms) {
        rows.add(row("First artifact right after start: build accepted → dev tag moved", "1", ms(ms), "—", "—", "—",
                "(information)", null));
    }

    void overhead(Distribution overhead, Distribution fromSent, Distribution floor, Distribution hop,
                  Distribution retag, int missing) {
        rows.add(row("Pipeline overhead: build accepted → dev tag moved", n(overhead), ms(overhead.p50()),
                ms(overhead.p99()), ms(floor.p50()) + " / " + ms(floor.p99()) + " (hop + retag)",
                ratio(overhead.p99(), floor.p99()) + " (p99)", "p99 ≤ 50 ms", overhead.p99() <= 50));
        details.add(String.format(Locale.ROOT, "Pipeline overhead, %d artifacts one after another after 20 of warm-up:"
                        + " from the build call *sent* instead of accepted p50 %s, p99 %s. Floor parts: Kafka hop p50 %s p99 %s;"
                        + " bare retag p50 %s p99 %s.%s", overhead.count(), ms(fromSent.p50()), ms(fromSent.p99()),
                ms(hop.p50()), ms(hop.p99()), ms(retag.p50()), ms(retag.p99()),
                missing > 0 ? " " + missing + " artifacts had no movedAt in promote's history and are left out." : ""));
    }

    void rollback(Distribution reaction, Distribution seen, Distribution floor) {
        rows.add(row("Rollback reaction: verdict → tag moved back (service's verdictAt/movedAt)", n(reaction),
                ms(reaction.p50()), ms(reaction.p99()), ms(floor.p50()) + " / " + ms(floor.p99()) + " (bare retag)",
                bothRatios(reaction, floor), "≤ 1.25× floor, p50 and p99", withinFloor(reaction, floor, 1.25)));
        rows.add(row("Rollback reaction seen from outside: verdict → registry HEAD answers the previous digest",
                n(seen), ms(seen.p50()), ms(seen.p99()), ms(floor.p50()) + " / " + ms(floor.p99()) + " (bare retag)",
                ratio(seen.p99(), floor.p99()) + " (p99)", "(cross-check; polled every 5 ms)", null));
    }

    /**
     * Scenario {@code history}: each figure of the stage with {@code longer} moves against the same figure of the
     * stage with {@code shorter} moves, its floor; {@code reads}: per read, {longer, shorter}.
     */
    void historyLength(int longer, int shorter, Distribution longReaction, Distribution shortReaction,
                       Map<String, Distribution[]> reads) {
        String moves = String.format(Locale.ROOT, "%,d", longer).replace(',', ' ');
        double worst = Math.max(longReaction.p50() / shortReaction.p50(), longReaction.p99() / shortReaction.p99());
        rows.add(row("History of " + moves + " moves: rollback reaction (verdict → tag moved back)", n(longReaction),
                ms(longReaction.p50()), ms(longReaction.p99()), ms(shortReaction.p50()) + " / "
                        + ms(shortReaction.p99()) + " (" + shorter + " moves)", ratio(longReaction.p50(),
                        shortReaction.p50()) + " / " + ratio(longReaction.p99(), shortReaction.p99()) + " (p50 / p99)",
                "≤ 1.1×", worst <= 1.1));
        reads.forEach((read, d) -> rows.add(row("History of " + moves + " moves: " + read, n(d[0]), ms(d[0].p50()),
                ms(d[0].p99()), ms(d[1].p50()) + " / " + ms(d[1].p99()) + " (" + shorter + " moves)",
                ratio(d[0].p50(), d[1].p50()) + " / " + ratio(d[0].p99(), d[1].p99()) + " (p50 / p99)", "≤ 1.1×",
                Math.max(d[0].p50() / d[1].p50(), d[0].p99() / d[1].p99()) <= 1.1)));
        details.add(String.format(Locale.ROOT, "History length: two applications with one watched stage each, one"
                        + " with %d moves written into both services' tables before its first real move, one with %d;"
                        + " %d rollback cycles of each after %d of warm-up, alternating, then %d reads of each history"
                        + " page, alternating (after 20 unmeasured). The stage with the short history is the floor.",
                longer, shorter, longReaction.count(), HistoryLength.WARMUP,
                reads.values().stream().findFirst().map(d -> d[0].count()).orElse(0)));
    }

    void throughput(double perSecond, int carried, int seconds, int apps, long lost, Distribution latency,
                    Map<String, Distribution> hops, double ceiling, Distribution reaction, Distribution seen,
                    Distribution floor, List<String> errors) {
        rows.add(row("Throughput dev → test → stage, " + apps + " applications, image checks on", carried + " in "
                        + seconds + " s", fmt(perSecond, "/s"), "—", fmt(ceiling, "/s") + " (registry-only ceiling)",
                ratio(perSecond, ceiling), "≥ 100 /s", perSecond >= 100));
        rows.add(row("… build call → stage tag announced, per artifact under that load", n(latency), ms(latency.p50()),
                ms(latency.p99()), "—", "—", "(information)", null));
        rows.add(row("… rollback reaction during that load", n(reaction), ms(reaction.p50()), ms(reaction.p99()),
                ms(floor.p50()) + " / " + ms(floor.p99()) + " (bare retag, same time)",
                bothRatios(reaction, floor), "≤ 1.5× floor, p50 and p99; n ≥ 100", reaction.isEmpty() ? null
                        : withinFloor(reaction, floor, 1.5) && reaction.count() >= 100));
        rows.add(row("… rollback seen from outside during that load", n(seen), ms(seen.p50()), ms(seen.p99()), "—",
                "—", "(cross-check)", null));
        StringBuilder text = new StringBuilder("Where an artifact's time goes under the throughput load (medians and"
                + " p99 of each hop, from the Kafka timestamps the services' producers set; the first hop starts at"
                + " the benchmark's clock when the build call was accepted):\n\n| hop | p50 | p99 |\n|---|---|---|\n");
        hops.forEach((hop, d) -> text.append("| ").append(hop).append(" | ").append(ms(d.p50())).append(" | ")
                .append(ms(d.p99())).append(" |\n"));
        if (lost > 0) {
            text.append("\n").append(lost).append(" artifacts reported during the load did not reach stage within"
                    + " 30 s of the end of the window.\n");
        }
        if (!errors.isEmpty()) {
            long held = errors.stream().filter(e -> e.contains(": held: ")).count();
            text.append("\nRollback cycles that failed during the load (").append(errors.size()).append(", of them ")
                    .append(held).append(" held: unhealthy with nothing to go back to): ")
                    .append(errors.get(0)).append(errors.size() > 1 ? " …" : "").append('\n');
        } else {
            text.append("\nNo rollback cycle failed or ended held during the load.\n");
        }
        details.add(text.toString());
    }

    private static String bothRatios(Distribution value, Distribution floor) {
        return ratio(value.p50(), floor.p50()) + " / " + ratio(value.p99(), floor.p99()) + " (p50 / p99)";
    }

    private static boolean withinFloor(Distribution value, Distribution floor, double bound) {
        return value.p50() <= bound * floor.p50() && value.p99() <= bound * floor.p99();
    }

    void profile(String service, String hotMethods) {
        profiles.put(service, hotMethods);
    }

    void failed(String scenario, String why) {
        notes.add("- **" + scenario + "** is left out of the table: it did not finish (" + why + ").");
    }

    void finished(Duration duration) {
        this.took = duration;
    }

    void write(Path file) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n")
                .append("Written by `./pipeline bench` (module `bench/`); raw samples in `bench/results/*.csv`. Not tests:"
                        + " nothing of this runs in `./pipeline test`. One run on a shared machine: read each figure"
                        + " beside its floor, measured in the same run, and the load average below.\n\n")
                .append(machine)
                .append("| load average at start / end | ").append(loadAtStart).append(" / ").append(loadAverage())
                .append(" |\n")
                .append("| whole run | ").append(took == null ? "?" : took.toSeconds() + " s").append(" |\n")
                .append("| settings | ").append(settings.toString().replace("Settings[", "").replace("]", ""))
                .append(" |\n\n");
        md.append("## Results\n\n| scenario | n | p50 | p99 | floor p50 / p99 | ratio | target | met? |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        if (!rssLoad.isEmpty()) {
            md.append("\nRSS of each service, MB — at rest after start / peak under the throughput load / at rest"
                    + " after all scenarios: ");
            List<String> parts = new ArrayList<>();
            rssRest.forEach((service, mb) -> parts.add(service + " " + fmt(mb, "") + " / "
                    + fmt(rssLoad.getOrDefault(service, Double.NaN), "") + " / "
                    + fmt(rssAfter.getOrDefault(service, Double.NaN), "")));
            md.append(String.join("; ", parts)).append(".\n");
        }
        if (start != null) {
            md.append("\nStart, seconds from the beginning until ready: Kafka ").append(fmt(seconds(start.kafka()), ""))
                    .append(", PostgreSQL ").append(fmt(seconds(start.postgres()), "")).append(", registry ")
                    .append(fmt(seconds(start.registry()), ""));
            start.services().forEach((name, at) -> md.append(", ").append(name).append(' ').append(fmt(seconds(at), "")));
            md.append(" (the three infrastructure parts start side by side, the four services side by side once PostgreSQL answers).\n");
        }
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append(n).append('\n'));
        }
        md.append("\n## Details\n\n");
        details.forEach(d -> md.append(d).append("\n\n"));
        md.append(FLOORS);
        if (!profiles.isEmpty()) {
            md.append("\n## Profiles (JFR, `settings=profile`, each service during the throughput scenario unless named otherwise)\n\n");
            profiles.forEach((service, hot) -> md.append("**").append(service).append("** — ").append("\n```\n")
                    .append(hot).append("```\n\n"));
        }
        Path findings = file.resolveSibling("bench/FINDINGS.md");
        if (Files.isRegularFile(findings)) {
            try {
                md.append("\n").append(Files.readString(findings).strip()).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String FLOORS = """
            ## The floors

            - **Rollback reaction — a bare retag.** One GET of the manifest by digest and one PUT of the same bytes \
            under the tag, written by hand on one keep-alive HTTP/1.1 connection (no client library, no digest check, \
            no auth), against the same registry, right after each rollback. Moving the tag back is the one thing a \
            rollback cannot skip, so no rollback can react faster than this.
            - **Pipeline overhead — one Kafka hop plus one bare retag.** A record produced (acks=all, linger 0, as the \
            services' outbox produces) on a scratch topic of the same broker and polled back by a consumer assigned to \
            its partition, plus the bare retag above; both measured right after each artifact and summed pairwise. The \
            least any event-driven design needs between "a build exists" and "the first stage's tag moved"; the \
            pipeline has two hops in between (build → artifacts topic → promote) plus its database transactions.
            - **Throughput — the registry-only ceiling.** Bare retags per second over four keep-alive connections for \
            3 s, divided by the three retags an artifact needs on its way to stage. The registry alone would allow no \
            more artifacts per second than this (the image checks' manifest and config reads come on top).
            - **Retag cost — a bare GET+PUT, and skopeo.** The bare retag above, and `skopeo copy --preserve-digests` \
            of the same image to the same tag (a process per copy, as a CI job would run it), alternating with ours \
            in rotating order.
            - **Start — the infrastructure.** When the last of Kafka, PostgreSQL and the registry answered. The \
            services start as soon as PostgreSQL answers, beside Kafka's start, but are ready only once Kafka answers \
            too, so the stack cannot be ready sooner.
            - **RSS — an idle JVM.** A JVM with the services' options (`infra/local/service-jvm.options`) that only \
            sleeps: what any service pays before its first class of its own.
            """;

    private static String row(String scenario, String n, String p50, String p99, String floor, String ratio,
                              String target, Boolean met) {
        return "| " + scenario + " | " + n + " | " + p50 + " | " + p99 + " | " + floor + " | " + ratio + " | " + target
                + " | " + (met == null ? "—" : met ? "yes" : "**no**") + " |";
    }

    private static String n(Distribution d) {
        return Integer.toString(d.count());
    }

    static String ms(double value) {
        return fmt(value, "ms");
    }

    static String fmt(double value, String unit) {
        if (Double.isNaN(value)) {
            return "—";
        }
        String number = Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
        return unit.isEmpty() ? number : number + " " + unit;
    }

    static String ratio(double value, double floor) {
        return Double.isNaN(value) || Double.isNaN(floor) || floor == 0 ? "—"
                : String.format(Locale.ROOT, "%.2f×", value / floor);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }
}
