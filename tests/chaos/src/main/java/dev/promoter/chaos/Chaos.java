package dev.promoter.chaos;

import dev.promoter.harness.LocalPipeline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./pipeline chaos}: under a steady load of artifacts through dev, test and stage (image checks, health
 * probes, some rollbacks), injects one fault after another, lets the pipeline settle after each and checks the
 * invariants from outside; writes {@code RELIABILITY.md}. Settings are {@code key=value} arguments (see
 * {@link Settings}); every count and time is bounded, and faults that no longer fit the time budget are left out
 * with a note.
 */
public final class Chaos implements AutoCloseable {

    /**
     * {@code applications}: how many applications the load drives; {@code faults}: which, in order (after the
     * baseline); {@code before}/{@code after}: load before and after each fault; {@code settle}: the longest wait
     * for the pipeline to settle after a fault; {@code budget}: the whole run's time, the stack's start included.
     */
    record Settings(int applications, List<Fault> faults, Duration before, Duration after, Duration settle,
                    Duration budget) {

        static Settings parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("arguments are key=value, e.g. faults=kill-promote; got " + arg);
                }
                given.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            Settings settings = new Settings(number(given, "apps", 4, 1, 20),
                    Fault.named(given.getOrDefault("faults", "all")),
                    Duration.ofSeconds(number(given, "before", 8, 1, 120)),
                    Duration.ofSeconds(number(given, "after", 8, 1, 120)),
                    Duration.ofSeconds(number(given, "settle", 60, 10, 600)),
                    Duration.ofSeconds(number(given, "budget", 900, 60, 3600)));
            given.keySet().removeAll(List.of("apps", "faults", "before", "after", "settle", "budget"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown settings " + given.keySet()
                        + "; known: apps, faults, before, after, settle, budget");
            }
            return settings;
        }

        private static int number(Map<String, String> given, String key, int fallback, int min, int max) {
            int value = given.containsKey(key) ? Integer.parseInt(given.get(key)) : fallback;
            if (value < min || value > max) {
                throw new IllegalArgumentException(key + " must be " + min + "-" + max + ", got " + value);
            }
            return value;
        }
    }

    /** How often settling is looked at after a fault. */
    static final Duration SETTLE_POLL = Duration.ofMillis(500);

    private final LocalPipeline pipeline;
    private final Settings settings;
    private final HealthStub health;
    private final Load load;
    private final Checker checker;
    private final long began;
    private final Set<String> duplicatesSeen = new HashSet<>();
    /** Artifacts an earlier fault lost: a later fault's settling does not wait for them again. */
    private final Set<Artifact> knownLost = new HashSet<>();
    private long deadLettersSeen;

    /** Defines the load's applications on a started pipeline (its services must reach the registry by proxy). */
    Chaos(LocalPipeline pipeline, Settings settings, long began) {
        this.pipeline = pipeline;
        this.settings = settings;
        this.began = began;
        this.health = new HealthStub(pipeline.registry());
        this.load = new Load(pipeline.api(), pipeline.registry(), pipeline.registryAddress(), health,
                settings.applications());
        Map<String, URI> services = new LinkedHashMap<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        pipeline.services().forEach((name, service) -> {
            services.put(name, service.baseUri());
            tokens.put(name, pipeline.apiToken(name));
        });
        this.checker = new Checker(pipeline.api(), pipeline.registry(), pipeline.bootstrapServers(), services, tokens);
        load.define();
        load.start();
    }

    public static void main(String[] args) {
        long began = System.nanoTime();
        Settings settings = Settings.parse(args);
        Path root = Path.of(System.getProperty("pipeline.root", ".")).toAbsolutePath().normalize();
        Report report = new Report(System.getenv().getOrDefault("CHAOS_COMMIT", "unknown"), settings);
        log("starting the stack on free loopback ports (logs: tests/chaos/target/chaos-logs)");
        List<Outcome> outcomes;
        try (LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Settings(root,
                root.resolve("tests/chaos/target/chaos-logs"), root.resolve("tests/chaos/target/chaos-stack"),
                List.of(), true));
             Chaos chaos = new Chaos(pipeline, settings, began)) {
            log("stack ready in %.1f s; %d applications under load", pipeline.startTimes().all().toMillis() / 1e3,
                    settings.applications());
            List<Fault> faults = new ArrayList<>(List.of(Fault.NONE));
            faults.addAll(settings.faults());
            outcomes = chaos.run(faults, report);
            try {
                report.finalLook(chaos.finalLook());
            } catch (RuntimeException e) {
                report.finalLookFailed(e.toString());
            }
        }
        report.finished(Duration.ofNanos(System.nanoTime() - began));
        report.write(root.resolve("RELIABILITY.md"));
        log("wrote RELIABILITY.md in %.0f s: %d of %d faults without loss, duplicate or dead letter",
                (System.nanoTime() - began) / 1e9, outcomes.stream().filter(Outcome::clean).count(), outcomes.size());
    }

    /** Injects the faults one after another; a fault that would overrun the budget is reported as left out. */
    List<Outcome> run(List<Fault> faults, Report report) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Fault fault : faults) {
            Duration worst = settings.before().plus(fault.hold()).plus(settings.after()).plus(settings.settle())
                    .plusSeconds(30);
            Duration left = settings.budget().minus(Duration.ofNanos(System.nanoTime() - began));
            if (worst.compareTo(left) > 0) {
                log("%s left out: it may take %d s, %d s of the budget are left", fault.name(), worst.toSeconds(),
                        left.toSeconds());
                report.leftOut(fault);
                continue;
            }
            Outcome outcome = inject(fault);
            outcomes.add(outcome);
            report.add(outcome);
        }
        return outcomes;
    }

    /** One fault under load, then the wait for the pipeline to settle and the checks. */
    Outcome inject(Fault fault) {
        log("%s: %s", fault.name(), fault.description());
        long deadLettersBefore = deadLettersSeen;
        load.resume(fault.name());
        Load.sleep(settings.before());
        fault.inject().run(pipeline);
        Load.sleep(fault.hold());
        end(fault);
        Instant faultEnded = Instant.now();
        log("%s: over; load goes on %d s, then the pipeline settles", fault.name(), settings.after().toSeconds());
        Load.sleep(settings.after());
        load.pause();

        // Settling is watched with the quick part of a look (every SETTLE_POLL); the whole look, topics and dead
        // letters included, is taken once it settled or the wait ran out.
        Checker.Look look = null;
        String error = null;
        double settledSeconds = Double.NaN;
        long deadline = System.nanoTime() + settings.settle().toNanos();
        while (true) {
            try {
                Checker.Look settling = checker.settling(load.applications(), load.accepted());
                error = null;
                if (settling.inconsistent().isEmpty() && knownLost.containsAll(settling.lost())) {
                    settledSeconds = Duration.between(faultEnded, Instant.now()).toMillis() / 1e3;
                    break;
                }
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Load.sleep(SETTLE_POLL);
        }
        for (int attempt = 1; look == null && attempt <= 3; attempt++) {
            try {
                look = checker.look(load.applications(), load.accepted());
                error = null;
            } catch (RuntimeException e) {
                error = e.getMessage();
                Load.sleep(Duration.ofSeconds(1));
            }
        }
        if (look == null) {
            log("%s: could not look at the pipeline: %s", fault.name(), error);
            return new Outcome(fault, accepted(fault), load.refused(fault.name()), List.of(), List.of(), List.of(),
                    List.of(), List.of(), 0, List.of(), Double.NaN, Double.NaN, error);
        }
        List<Artifact> lost = look.lost().stream().filter(a -> a.phase().equals(fault.name())).toList();
        List<Artifact> superseded = look.superseded().stream().filter(a -> a.phase().equals(fault.name())).toList();
        knownLost.addAll(look.lost());
        List<String> duplicated = look.duplicated().stream().filter(duplicatesSeen::add).toList();
        long deadLetters = Math.max(look.deadLetterRecords(), look.deadLettersListed());
        deadLettersSeen = deadLetters;
        double recovery = fault == Fault.NONE ? Double.NaN : look.moves().stream()
                .filter(moved -> moved.isAfter(faultEnded)).min(Instant::compareTo)
                .map(first -> Duration.between(faultEnded, first).toMillis() / 1e3).orElse(Double.NaN);
        Outcome outcome = new Outcome(fault, accepted(fault), load.refused(fault.name()), lost, superseded, duplicated,
                look.wrong(), look.inconsistent(), deadLetters - deadLettersBefore, look.deadLetterReasons(), recovery,
                settledSeconds, error);
        log("%s: %d accepted, %d lost, %d superseded, %d duplicated, %d dead-lettered, recovery %s s, settled %s s%s",
                fault.name(), outcome.accepted(), lost.size(), superseded.size(), duplicated.size(),
                outcome.deadLettered(), Report.seconds(recovery),
                Report.seconds(settledSeconds), outcome.clean() ? "" : "  <-- " + Report.findings(outcome));
        return outcome;
    }

    /** Ends the fault; a part that does not come back at once (a loaded machine) is asked twice more. */
    private void end(Fault fault) {
        for (int attempt = 1; ; attempt++) {
            try {
                fault.end().run(pipeline);
                return;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    throw e;
                }
                log("%s: could not end the fault (%s); trying again", fault.name(), e.getMessage());
            }
        }
    }

    private int accepted(Fault fault) {
        return (int) load.accepted().stream().filter(a -> a.phase().equals(fault.name())).count();
    }

    /** Every artifact accepted so far. */
    List<Artifact> accepted() {
        return load.accepted();
    }

    /** Everything accepted in the whole run, looked at once more at the end. */
    Checker.Look finalLook() {
        // What a fault left unsettled gets one more settle time (the load has stopped): an artifact that arrives by
        // then was late, not lost (the row says which).
        long deadline = System.nanoTime() + settings.settle().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Checker.Look settling = checker.settling(load.applications(), load.accepted());
                if (settling.lost().isEmpty() && settling.inconsistent().isEmpty()) {
                    break;
                }
            } catch (RuntimeException e) {
                // looked at again below, or the whole look says why
            }
            Load.sleep(SETTLE_POLL);
        }
        return checker.look(load.applications(), load.accepted());
    }

    static void log(String format, Object... args) {
        System.out.printf("[chaos %tT] %s%n", new java.util.Date(), String.format(format, args));
        System.out.flush();
    }

    @Override
    public void close() {
        load.close();
        health.close();
    }
}
