package dev.promoter.chaos;

import dev.promoter.harness.LocalPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One fault of the run: what is done to the pipeline, how long it lasts, and how it ends. A service's {@code kill -9}
 * ends when its supervisor has started it again and it is ready; an outage ends when the part answers again.
 */
record Fault(String name, String description, Duration hold, Step inject, Step end) {

    interface Step {
        void run(LocalPipeline pipeline);
    }

    /** No fault: the load alone, so the table shows what the invariants give without one. */
    static final Fault NONE = new Fault("none", "no fault (baseline)", Duration.ZERO, p -> { }, p -> { });

    static Fault kill(String service) {
        return new Fault("kill-" + service, "`kill -9` of " + service + ", started again at once", Duration.ZERO,
                p -> p.services().get(service).kill(), p -> p.restart(service));
    }

    /** Every fault of the chaos run, in the order they are injected. */
    static List<Fault> all() {
        List<Fault> faults = new ArrayList<>();
        for (String service : LocalPipeline.SERVICES) {
            faults.add(kill(service));
        }
        faults.add(new Fault("kafka-stopped", "Kafka stopped 30 s", Duration.ofSeconds(30),
                LocalPipeline::stopKafka, LocalPipeline::startKafka));
        faults.add(new Fault("postgres-stopped", "PostgreSQL stopped 30 s", Duration.ofSeconds(30),
                LocalPipeline::stopPostgres, LocalPipeline::startPostgres));
        faults.add(new Fault("registry-stopped", "registry stopped 60 s", Duration.ofSeconds(60),
                LocalPipeline::stopRegistry, LocalPipeline::startRegistry));
        faults.add(new Fault("registry-503", "registry answering 503 for 30 s", Duration.ofSeconds(30),
                p -> p.registryAnswersUnavailable(true), p -> p.registryAnswersUnavailable(false)));
        return List.copyOf(faults);
    }

    /** The faults named (comma separated), or all of them for {@code all}. */
    static List<Fault> named(String names) {
        if (names.equals("all")) {
            return all();
        }
        List<Fault> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            chosen.add(all().stream().filter(f -> f.name().equals(name.trim())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no fault " + name + "; choose from "
                            + all().stream().map(Fault::name).toList() + " or all")));
        }
        return List.copyOf(chosen);
    }
}
