package dev.promoter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.demo.PipelineApi;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes one application roll back, again and again: its only stage, {@code prod}, is probed by the rollback
 * service every {@link #INTERVAL}; a healthy first digest stays the rollback target; each cycle reports a new
 * artifact, waits until the rollback service watches it, makes its health fail, and reads when the verdict was
 * reached (the service's {@code verdictAt}), when the tag was moved back ({@code movedAt}, taken once the
 * registry acknowledged the PUT), and when the benchmark itself first saw the registry answer with the previous
 * digest (HEAD every {@link #SEEN_POLL}). Beside each rollback, one bare retag against the same registry: the floor.
 */
final class RollbackDriver {

    static final String STAGE = "prod";
    // The settings a user on a busy machine would choose (issue 20, item 0; BENCHMARKS.md findings): a timeout far
    // above what the endpoint needs when the machine is idle (the stub answers in well under a millisecond), so one
    // late answer under load is not read as a failure, and three failures in a row, as Kubernetes' probes default
    // to, so no single stall of the prober or the endpoint is a verdict. The interval is short only to get many
    // cycles into a minute; it changes when the verdict comes, not the reaction measured after it.
    static final Duration INTERVAL = Duration.ofMillis(250);
    static final Duration TIMEOUT = Duration.ofMillis(200);
    static final int FAILURE_THRESHOLD = 3;
    static final Duration GRACE = Duration.ofMillis(500);
    static final Duration SEEN_POLL = Duration.ofMillis(5);
    // How often the driver reads the rollback service's history while it waits (not part of what is measured). Each
    // read loads the stage's whole history; at 20 ms, six drivers kept the very service under test busy serving them.
    private static final Duration STATE_POLL = Duration.ofMillis(100);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One rollback, as measured. */
    record Sample(String application, int cycle, Instant verdictAt, Instant movedAt, Instant seenAt,
                  double floorRetagMs) {

        double reactionMs() {
            return Duration.between(verdictAt, movedAt).toNanos() / 1e6;
        }

        double seenMs() {
            return seenAt == null ? Double.NaN : Duration.between(verdictAt, seenAt).toNanos() / 1e6;
        }
    }

    private final String application;
    private final Images images;
    private final PipelineApi api;
    private final RegistryClient registry;
    private final HealthStub stub;
    private final BareRegistry floor;
    private final Images floorImage;
    private final String reported;
    private int cycles;

    String application() {
        return application;
    }

    /**
     * {@code floorImage} lives in a repository of this driver's own: the Distribution registry's filesystem storage
     * answers 500 to a manifest read racing a write in the same repository, and the bare floor does not retry.
     */
    RollbackDriver(String application, Images images, PipelineApi api, RegistryClient registry, HealthStub stub,
                   Images floorImage) {
        this.application = application;
        this.images = images;
        this.api = api;
        this.registry = registry;
        this.stub = stub;
        this.floorImage = floorImage;
        this.floor = new BareRegistry(registry.registry());
        this.reported = registry.registry() + "/" + images.repository();
    }

    static String definition(String application, String repository, String healthUrl) {
        return "application: " + application + "\n"
                + "repository: " + repository + "\n"
                + "stages:\n"
                + "  - name: " + STAGE + "\n"
                + "    health:\n"
                + "      url: " + healthUrl + "\n"
                + "      interval: " + INTERVAL.toMillis() + "ms\n"
                + "      timeout: " + TIMEOUT.toMillis() + "ms\n"
                + "      failureThreshold: " + FAILURE_THRESHOLD + "\n"
                + "      successThreshold: 1\n"
                + "      gracePeriod: " + GRACE.toMillis() + "ms\n";
    }

    /** Defines the pipeline and brings the base digest into prod, found healthy there. */
    void setUp() {
        api.definePipeline(application, definition(application, reported, stub.url(application).toString()));
        api.reportBuild(application, reported, images.baseDigest(), commit(0), "bench");
        await("the base artifact of " + application + " healthy in " + STAGE, Duration.ofMillis(100),
                () -> PipelineApi.healthyIn(api.rollbackHistory(application, STAGE), images.baseDigest()));
    }

    /** One rollback of a fresh artifact back to the base digest. */
    Sample cycle() {
        int cycle = ++cycles;
        String failing = images.next();
        String back = images.baseDigest();
        api.reportBuild(application, reported, failing, commit(cycle), "bench");
        JsonNode watched = await("the rollback service watching " + application + " " + short12(failing),
                STATE_POLL, () -> {
                    JsonNode history = api.rollbackHistory(application, STAGE);
                    return history != null && failing.equals(history.path("current").asText()) ? history : null;
                });
        Instant promotedAt = instant(watched.path("deployments").get(0).path("movedAt"));
        stub.fail(application);
        Instant seenAt;
        try {
            // No verdict before the threshold's failures, the first of them after the grace period: the 5 ms poll
            // starts just before the earliest verdict, so it does not load the registry for the rest of the wait.
            sleepUntil(promotedAt.plus(GRACE).plus(INTERVAL.multipliedBy(FAILURE_THRESHOLD - 1)).minusMillis(30));
            int[] polls = {0};
            seenAt = await("the registry answering " + STAGE + " of " + application + " with the previous digest",
                    SEEN_POLL, () -> {
                        Optional<Instant> seen = tagNow(images.repository()).filter(back::equals).map(d -> Instant.now());
                        if (seen.isEmpty() && ++polls[0] % 40 == 0) {
                            failIfHeld(failing);
                        }
                        return seen.orElse(null);
                    });
        } finally {
            stub.heal(application);
        }
        JsonNode rollback = await("the rollback of " + application + " " + short12(failing) + " recorded",
                STATE_POLL, () -> {
                    JsonNode history = api.rollbackHistory(application, STAGE);
                    JsonNode newest = history == null ? null : history.path("deployments").get(0);
                    return newest != null && failing.equals(newest.path("rollbackOf").asText()) ? newest : null;
                });
        long start = System.nanoTime();
        floor.retag(floorImage.repository(), floorImage.baseDigest(), "floor-" + application);
        double floorMs = (System.nanoTime() - start) / 1e6;
        return new Sample(application, cycle, instant(rollback.path("verdictAt")), instant(rollback.path("movedAt")),
                seenAt, floorMs);
    }

    /** A cycle that ended held (unhealthy with nothing to go back to) fails at once instead of after the patience. */
    private void failIfHeld(String failing) {
        JsonNode history = api.rollbackHistory(application, STAGE);
        JsonNode newest = history == null ? null : history.path("deployments").get(0);
        if (newest != null && failing.equals(newest.path("digest").asText()) && newest.path("held").asBoolean()) {
            throw new IllegalStateException("held: " + newest.path("heldReason").asText());
        }
    }

    /**
     * The stage tag's digest, or empty while the registry cannot say: CNCF Distribution's filesystem storage answers a
     * read of a tag that is being rewritten at that moment with a 500 ("invalid checksum digest format"), even after
     * the client's own retries, and a 5 ms poll meets that now and then. Such a read is asked again at the next poll.
     */
    private Optional<String> tagNow(String repository) {
        try {
            return registry.head(repository, STAGE).map(ManifestRef::digest);
        } catch (RegistryException e) {
            if (e.status() >= 500) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static Instant instant(JsonNode node) {
        if (node.isNumber()) {
            return Instant.ofEpochSecond(0, (long) (node.asDouble() * 1e9));
        }
        return Instant.parse(node.asText());
    }

    static String commit(int n) {
        return String.format("%040x", n);
    }

    private static String short12(String digest) {
        return digest.substring(7, 19);
    }

    interface Probe<T> {
        T get();
    }

    /** Polls until {@code probe} gives a value other than null or false; fails after {@link #PATIENCE}. */
    static <T> T await(String what, Duration every, Probe<T> probe) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + PATIENCE.toSeconds() + " s");
            }
            sleep(every);
        }
    }

    static void sleepUntil(Instant at) {
        Duration left = Duration.between(Instant.now(), at);
        if (!left.isNegative()) {
            sleep(left);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
