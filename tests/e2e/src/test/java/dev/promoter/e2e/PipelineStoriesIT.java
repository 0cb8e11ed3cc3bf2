package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.demo.PipelineApi;
import dev.promoter.demo.SampleApp;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.harness.ServiceProcess;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Stories of the whole pipeline: the four services as separate processes, joined by a real broker, with a real
 * database and registry. What a stage runs is always read from the registry, the one source of truth that no
 * service owns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineStoriesIT {

    static final List<String> STAGES = List.of("dev", "test", "stage", "prod");
    static final Duration MOVES = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(20);

    static LocalPipeline pipeline;
    static PipelineApi api;
    static RegistryClient registry;
    static final List<SampleApp> sampleApps = new ArrayList<>();

    @BeforeAll
    static void startPipeline() {
        pipeline = LocalPipeline.start();
        api = pipeline.api();
        registry = pipeline.registry();
    }

    @AfterAll
    static void stopPipeline() {
        // The services first: stopped sample apps would fail their probes and start rollbacks on the way out.
        if (pipeline != null) {
            pipeline.close();
        }
        sampleApps.forEach(SampleApp::close);
    }

    @Test
    @Order(1)
    void buildReachesProdThroughAllStages() {
        String app = "checkout";
        String repository = "e2e/checkout";
        // A suite in every stage: each step waits for the test service, so the order of moves shows.
        api.definePipeline(app, definition(app, repository, stage -> true, stage -> null));
        String digest = image(app, "1").push(repository, "build-1");
        Map<String, Instant> firstSeen = new LinkedHashMap<>();

        api.reportBuild(app, pipeline.registryAddress() + "/" + repository, digest, commit(1), "e2e");

        await("every stage tag of " + repository + " at " + digest + " (logs: " + pipeline.log("promote") + ", "
                + pipeline.log("test") + ")").atMost(MOVES).pollInterval(POLL).until(() -> {
                    for (String stage : STAGES) {
                        if (!firstSeen.containsKey(stage) && tag(repository, stage).equals(Optional.of(digest))) {
                            firstSeen.put(stage, Instant.now());
                        }
                    }
                    return firstSeen.size() == STAGES.size();
                });
        for (int i = 1; i < STAGES.size(); i++) {
            assertThat(firstSeen.get(STAGES.get(i)))
                    .as("%s:%s appears no earlier than %s:%s", repository, STAGES.get(i), repository, STAGES.get(i - 1))
                    .isAfterOrEqualTo(firstSeen.get(STAGES.get(i - 1)));
        }
        assertThat(STAGES).allSatisfy(stage -> assertThat(tag(repository, stage)).contains(digest));
        assertThat(Duration.between(firstSeen.get("dev"), firstSeen.get("prod")))
                .as("dev to prod through three suites").isLessThan(MOVES);
    }

    @Test
    @Order(2)
    void failingProdHealthRollsBackToPreviousDigest() {
        String app = "shop-cart";
        String repository = "e2e/shop-cart";
        SampleApp sample = sampleApp(repository);
        api.definePipeline(app, definition(app, repository, "dev"::equals, sample::healthUrl));
        String v1 = image(app, "1").push(repository, "build-1");
        String v2 = image(app, "2").label(SampleApp.FAILS_IN_LABEL, "prod").push(repository, "build-2");
        String reported = pipeline.registryAddress() + "/" + repository;
        api.reportBuild(app, reported, v1, commit(1), "e2e");
        await("v1 in prod").atMost(MOVES).pollInterval(POLL).until(() -> tag(repository, "prod").equals(Optional.of(v1)));
        await("v1 healthy in prod (log: " + pipeline.log("rollback") + ")").atMost(MOVES)
                .until(() -> PipelineApi.healthyIn(api.rollbackHistory(app, "prod"), v1));

        api.reportBuild(app, reported, v2, commit(2), "e2e");

        await("v2 promoted into prod").atMost(MOVES).pollInterval(POLL)
                .until(() -> movedTo(promoteStage(app, "prod"), v2) || tag(repository, "prod").equals(Optional.of(v2)));
        await("prod back on v1 in the registry (log: " + pipeline.log("rollback") + ")").atMost(MOVES)
                .pollInterval(POLL).until(() -> tag(repository, "prod").equals(Optional.of(v1)));
        assertThat(tag(repository, "stage")).as("v2 is healthy in stage and stays there").contains(v2);

        await("promote records the rollback (log: " + pipeline.log("promote") + ")").atMost(MOVES)
                .until(() -> v1.equals(promoteStage(app, "prod").path("current").asText()));
        JsonNode promoted = promoteStage(app, "prod");
        assertThat(texts(promoted.path("quarantined"))).containsExactly(v2);
        JsonNode rollback = promoted.path("history").get(0);
        assertThat(rollback.path("digest").asText()).isEqualTo(v1);
        assertThat(rollback.path("rollbackOf").asText()).isEqualTo(v2);
        assertThat(rollback.path("reason").asText()).isNotBlank();
        JsonNode failed = promoted.path("history").get(1);
        assertThat(failed.path("digest").asText()).isEqualTo(v2);
        assertThat(failed.path("reason").asText()).as("why v2 entered prod").isNotBlank();

        JsonNode watched = api.rollbackHistory(app, "prod");
        assertThat(watched.path("current").asText()).isEqualTo(v1);
        assertThat(texts(watched.path("quarantined"))).containsExactly(v2);
        JsonNode back = watched.path("deployments").get(0);
        assertThat(back.path("digest").asText()).isEqualTo(v1);
        assertThat(back.path("rollbackOf").asText()).isEqualTo(v2);
        assertThat(back.path("reason").asText()).isNotBlank();
        JsonNode left = watched.path("deployments").get(1);
        assertThat(left.path("digest").asText()).isEqualTo(v2);
        assertThat(left.path("reason").asText()).isNotBlank();
        assertThat(left.hasNonNull("unhealthyAt")).as("v2 found unhealthy in prod").isTrue();
        assertThat(left.path("evidence").asText()).as("what showed it").isNotBlank();
    }

    @Test
    @Order(3)
    void redeliveringEveryEventChangesNothing() {
        String app = "basket";
        String repository = "e2e/basket";
        SampleApp sample = sampleApp(repository);
        api.definePipeline(app, definition(app, repository, "dev"::equals, sample::healthUrl));
        String digest = image(app, "1").push(repository, "build-1");
        api.reportBuild(app, pipeline.registryAddress() + "/" + repository, digest, commit(3), "e2e");
        await("basket healthy in prod").atMost(MOVES)
                .until(() -> PipelineApi.healthyIn(api.rollbackHistory(app, "prod"), digest));

        try (PipelineTopics topics = new PipelineTopics(pipeline.bootstrapServers())) {
            Snapshot before = settled(topics);
            Map<String, List<ConsumerRecord<String, byte[]>>> records = topics.readAll();
            Map<String, Long> counts = topics.counts();
            assertThat(records).allSatisfy((topic, list) -> assertThat((long) list.size()).isEqualTo(counts.get(topic)));
            assertThat(records.values().stream().mapToInt(List::size).sum()).isPositive();

            topics.redeliver(records);

            Map<String, Long> doubled = new LinkedHashMap<>();
            counts.forEach((topic, count) -> doubled.put(topic, 2 * count));
            await("every copy delivered and processed").atMost(MOVES)
                    .until(() -> topics.counts().equals(doubled) && topics.consumersCaughtUp());
            await("no event beyond the copies").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> topics.counts().equals(doubled));
            assertThat(snapshot()).isEqualTo(before);
        }
    }

    /**
     * What the pipeline shows once nothing moves any more — all events processed, and two looks a second apart
     * alike (health verdicts settle without events).
     */
    private Snapshot settled(PipelineTopics topics) {
        AtomicReference<Snapshot> last = new AtomicReference<>();
        await("the pipeline settles").atMost(MOVES).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Snapshot now = snapshot();
            return now.equals(last.getAndSet(now)) && topics.consumersCaughtUp();
        });
        return last.get();
    }

    /** Promote's view of every application, the rollback service's history of every stage, every registry tag. */
    private record Snapshot(Map<String, JsonNode> applications, Map<String, JsonNode> rollbackHistories,
                            Map<String, String> tags) {
    }

    private Snapshot snapshot() {
        Map<String, JsonNode> applications = new LinkedHashMap<>();
        Map<String, JsonNode> histories = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode summary : api.applications()) {
            String app = summary.path("application").asText();
            applications.put(app, api.application(app));
            String repository = summary.path("repository").asText();
            String path = repository.substring(repository.indexOf('/') + 1);
            for (JsonNode stage : summary.path("stages")) {
                histories.put(app + "/" + stage.asText(), api.rollbackHistory(app, stage.asText()));
            }
            for (String tag : registry.tags(path)) {
                tags.put(path + ":" + tag, tag(path, tag).orElse(null));
            }
        }
        return new Snapshot(applications, histories, tags);
    }

    @Test
    @Order(4)
    void failingProdHealthRollsBackWhilePromoteIsStopped() {
        String app = "till";
        String repository = "e2e/till";
        SampleApp sample = sampleApp(repository);
        // A grace period long enough to stop promote between v2 entering prod and its probes counting.
        api.definePipeline(app, definition(app, repository, "dev"::equals, sample::healthUrl)
                .replace("gracePeriod: 1s", "gracePeriod: 6s"));
        String v1 = image(app, "1").push(repository, "build-1");
        String v2 = image(app, "2").label(SampleApp.FAILS_IN_LABEL, "prod").push(repository, "build-2");
        String reported = pipeline.registryAddress() + "/" + repository;
        api.reportBuild(app, reported, v1, commit(1), "e2e");
        await("v1 healthy in prod (log: " + pipeline.log("rollback") + ")").atMost(MOVES)
                .until(() -> PipelineApi.healthyIn(api.rollbackHistory(app, "prod"), v1));
        api.reportBuild(app, reported, v2, commit(2), "e2e");
        await("the rollback service heard v2 entered prod").atMost(MOVES).pollInterval(POLL)
                .until(() -> v2.equals(api.rollbackHistory(app, "prod").path("current").asText()));

        ServiceProcess promote = pipeline.services().get("promote");
        promote.stop();
        assertThat(promote.isAlive()).isFalse();

        await("prod back on v1 in the registry with promote stopped (log: " + pipeline.log("rollback") + ")")
                .atMost(MOVES).pollInterval(POLL).until(() -> tag(repository, "prod").equals(Optional.of(v1)));
        JsonNode watched = api.rollbackHistory(app, "prod");
        assertThat(watched.path("current").asText()).isEqualTo(v1);
        assertThat(texts(watched.path("quarantined"))).containsExactly(v2);
        assertThat(watched.path("deployments").get(0).path("rollbackOf").asText()).isEqualTo(v2);
    }

    /**
     * A crashed service, started again, carries on at once: its Kafka consumers keep their group identities across the
     * restart, so they take their partitions straight back instead of waiting for the dead members' sessions to end
     * (45 s with Kafka's defaults, all that time with nothing promoted).
     */
    @Test
    @Order(5)
    void crashedPromoteStartedAgainCarriesTheNextArtifactAtOnce() {
        pipeline.restart("promote"); // the story before left it stopped
        String app = "stall";
        String repository = "e2e/stall";
        api.definePipeline(app, definition(app, repository, stage -> false, stage -> null));
        String v1 = image(app, "1").push(repository, "build-1");
        String reported = pipeline.registryAddress() + "/" + repository;

        pipeline.services().get("promote").kill();
        pipeline.restart("promote");
        api.reportBuild(app, reported, v1, commit(1), "e2e");

        await("v1 in dev within 20 s of promote being ready again after a crash (log: " + pipeline.log("promote") + ")")
                .atMost(Duration.ofSeconds(20)).pollInterval(POLL)
                .until(() -> tag(repository, "dev").equals(Optional.of(v1)));
    }

    private static String definition(String app, String repository, Predicate<String> withSuite,
                                     Function<String, URI> healthUrl) {
        StringBuilder yaml = new StringBuilder("application: " + app + "\n")
                .append("repository: ").append(pipeline.registryAddress()).append('/').append(repository).append('\n')
                .append("stages:\n");
        for (String stage : STAGES) {
            yaml.append("  - name: ").append(stage).append('\n');
            if (withSuite.test(stage)) {
                yaml.append("    suites:\n")
                        .append("      - name: image-checks\n")
                        .append("        kind: image-checks\n")
                        .append("        requiredLabels: [org.opencontainers.image.revision]\n");
            }
            URI url = healthUrl.apply(stage);
            if (url != null) {
                yaml.append("    health:\n")
                        .append("      url: ").append(url).append('\n')
                        .append("      interval: 500ms\n")
                        .append("      timeout: 300ms\n")
                        .append("      failureThreshold: 3\n")
                        .append("      successThreshold: 2\n")
                        .append("      gracePeriod: 1s\n");
            }
        }
        return yaml.toString();
    }

    private static SampleApp sampleApp(String repository) {
        SampleApp app = SampleApp.start(pipeline.registryAddress(), repository, 0);
        sampleApps.add(app);
        return app;
    }

    private static ImageBuilder image(String app, String version) {
        return new ImageBuilder(registry)
                .file("/app/version.txt", app + " " + version + "\n")
                .label("org.opencontainers.image.revision", commit(Integer.parseInt(version)))
                .user("1000");
    }

    private static String commit(int n) {
        return String.format("%040x", n);
    }

    private static Optional<String> tag(String repository, String tag) {
        return registry.head(repository, tag).map(ManifestRef::digest);
    }

    private static JsonNode promoteStage(String app, String stage) {
        return PipelineApi.stage(api.application(app), stage);
    }

    private static boolean movedTo(JsonNode stage, String digest) {
        for (JsonNode entry : stage.path("history")) {
            if (digest.equals(entry.path("digest").asText())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
