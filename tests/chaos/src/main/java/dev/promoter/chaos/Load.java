package dev.promoter.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.demo.PipelineApi;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.RegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steady load: one thread per application reports an artifact, waits until it settled (entered the stages it
 * should, and for an unhealthy one, was rolled back) or {@link #PACE} passed, and reports the next. So the load goes
 * on during a fault (an artifact every {@code PACE} per application at least), and in quiet times unhealthy artifacts
 * are found out before the next artifact replaces them. A refused or failed report is sent again, as a build job
 * would, until the build service accepts it (2xx); only accepted artifacts are tracked.
 */
final class Load implements AutoCloseable {

    static final Duration PACE = Duration.ofSeconds(8);
    private static final Duration POLL = Duration.ofMillis(300);
    private static final String REVISION = "org.opencontainers.image.revision";
    /** Every application goes through this pattern, starting at a different place. */
    private static final List<Artifact.Kind> PATTERN = List.of(Artifact.Kind.GOOD, Artifact.Kind.GOOD,
            Artifact.Kind.FAILS_SUITE, Artifact.Kind.GOOD, Artifact.Kind.UNHEALTHY, Artifact.Kind.GOOD);

    private final PipelineApi api;
    private final RegistryClient registry;
    private final String registryAddress;
    private final HealthStub health;
    private final List<String> applications;
    private final List<Artifact> accepted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean paused = true;
    private volatile boolean stopped;
    private volatile String phase = "start";

    /**
     * {@code registry} is read and written directly (the builds push there); {@code registryAddress} is how
     * definitions and reports name it (the services' view, through the proxy).
     */
    Load(PipelineApi api, RegistryClient registry, String registryAddress, HealthStub health, int applications) {
        this.api = api;
        this.registry = registry;
        this.registryAddress = registryAddress;
        this.health = health;
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= applications; i++) {
            names.add("chaos-" + i);
        }
        this.applications = List.copyOf(names);
    }

    List<String> applications() {
        return applications;
    }

    static String repository(String application) {
        return "chaos/" + application;
    }

    /**
     * Defines each application's pipeline: image checks in dev and test, health probes in stage. A definition not
     * answered in time (promote's first requests on a loaded machine) is sent again, up to 5 times: saving one is
     * idempotent.
     */
    void define() {
        for (String application : applications) {
            health.watch(application, repository(application));
            for (int attempt = 1; ; attempt++) {
                try {
                    api.definePipeline(application, definition(application));
                    break;
                } catch (RuntimeException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                    Chaos.log("defining %s: %s; sending it again", application, e.getMessage());
                    sleep(Duration.ofSeconds(2));
                }
            }
        }
    }

    private String definition(String application) {
        String suite = "    suites:\n      - name: image-checks\n        kind: image-checks\n"
                + "        requiredLabels: [" + REVISION + "]\n";
        return "application: " + application + "\n"
                + "repository: " + registryAddress + "/" + repository(application) + "\n"
                + "stages:\n"
                + "  - name: dev\n" + suite
                + "  - name: test\n" + suite
                + "  - name: stage\n"
                + "    health:\n"
                + "      url: " + health.url(application) + "\n"
                + "      interval: 1s\n"
                // Generous: on a loaded machine a stub answering late must not pass for an unhealthy artifact (a
                // good one judged unhealthy is held, and the next unhealthy one then has nothing to roll back to).
                + "      timeout: 900ms\n"
                + "      failureThreshold: 2\n"
                + "      successThreshold: 1\n"
                + "      gracePeriod: 500ms\n";
    }

    /** Starts one thread per application, paused until {@link #resume}. */
    void start() {
        for (int i = 0; i < applications.size(); i++) {
            String application = applications.get(i);
            int offset = i;
            Thread thread = new Thread(() -> run(application, offset), "load-" + application);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Reports go on, counted in {@code phase}. */
    void resume(String phase) {
        this.phase = phase;
        paused = false;
    }

    /** No new artifacts after the ones being reported now (a report being sent again is given up). */
    void pause() {
        paused = true;
    }

    /** Every artifact accepted so far, oldest first. */
    List<Artifact> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    /** Reports the build service refused or could not answer, by phase. */
    int refused(String phase) {
        AtomicInteger count = refused.get(phase);
        return count == null ? 0 : count.get();
    }

    private void run(String application, int offset) {
        try {
            drive(application, offset);
        } catch (IllegalStateException interrupted) {
            // closed
        }
    }

    private void drive(String application, int offset) {
        int n = 0;
        while (!stopped) {
            if (paused) {
                sleep(Duration.ofMillis(100));
                continue;
            }
            n++;
            Artifact.Kind kind = PATTERN.get((n + offset) % PATTERN.size());
            String digest;
            try {
                digest = push(application, kind, n);
            } catch (RuntimeException e) {
                // The registry is down: a build could not push either. Try again shortly.
                sleep(Duration.ofSeconds(1));
                continue;
            }
            if (kind == Artifact.Kind.UNHEALTHY) {
                health.makeUnhealthy(digest);
            }
            Artifact artifact = report(application, digest, kind, n);
            if (artifact != null) {
                awaitSettled(artifact);
            }
        }
    }

    private String push(String application, Artifact.Kind kind, int n) {
        ImageBuilder image = new ImageBuilder(registry)
                .file("/app/version.txt", application + " " + n + " " + System.nanoTime() + "\n")
                .user("1000");
        if (kind != Artifact.Kind.FAILS_SUITE) {
            image.label(REVISION, commit(n));
        }
        return image.push(repository(application), "build-" + n);
    }

    /** Sends the report until it is accepted; null when the load was paused first. */
    private Artifact report(String application, String digest, Artifact.Kind kind, int n) {
        while (!stopped) {
            String reportedIn = phase;
            try {
                api.reportBuild(application, registryAddress + "/" + repository(application), digest, commit(n),
                        "chaos");
                Artifact artifact = new Artifact(application, digest, kind, Instant.now(), reportedIn);
                accepted.add(artifact);
                return artifact;
            } catch (RuntimeException e) {
                refused.computeIfAbsent(reportedIn, p -> new AtomicInteger()).incrementAndGet();
                if (paused) {
                    return null;
                }
                sleep(Duration.ofSeconds(1));
            }
        }
        return null;
    }

    private void awaitSettled(Artifact artifact) {
        long deadline = System.nanoTime() + PACE.toNanos();
        while (!stopped && System.nanoTime() < deadline) {
            try {
                JsonNode view = api.application(artifact.application());
                if (Checker.settled(artifact, view)) {
                    return;
                }
            } catch (RuntimeException e) {
                // promote is down or slow: keep waiting until the pace says go on
            }
            sleep(POLL);
        }
    }

    static String commit(int n) {
        return String.format("%040x", n);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stopped = true;
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }
}
