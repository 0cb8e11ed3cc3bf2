package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.demo.PipelineApi;
import dev.promoter.demo.SampleApp;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of every service (issue 19): a load of applications whose second build fails its health in some
 * stages, and one replica of each service killed with SIGKILL in the middle of it. Afterwards every move is in every
 * history once, the registry's tags are what the histories say, every failing stage was rolled back (also those the
 * killed rollback replica probed), and no Slack message or deploy hook call went out twice.
 */
class ReplicasStoryIT {

    static final List<String> STAGES = List.of("dev", "stage", "prod");
    static final Duration MOVES = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOOK_SECRET = "replicas-story-hook-secret";

    static LocalPipeline pipeline;
    static PipelineApi api;
    static RegistryClient registry;
    static StandIns standIns;
    static final List<SampleApp> sampleApps = new ArrayList<>();

    @BeforeAll
    static void startPipeline() throws IOException {
        standIns = StandIns.start();
        pipeline = LocalPipeline.start(LocalPipeline.Settings.fromSystemProperties().withServiceEnvironment(Map.of(
                "PIPELINE_SLACK_API_URL", standIns.url("/slack/api"),
                "PIPELINE_SLACK_BOT_TOKEN", "xoxb-replicas-story",
                "ROLLBACK_DEPLOY_HOOK_SECRETS_E2E", HOOK_SECRET)), 2);
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
        if (standIns != null) {
            standIns.close();
        }
    }

    @Test
    void killingOneReplicaOfEachServiceMidLoadLosesRepeatsAndDoubleSendsNothing() throws Exception {
        // Where each application's second build fails its health; in each of the two promotions partitions one
        // application fails in prod, so whichever rollback replica dies, it probed a failing stage.
        Map<String, String> failsIn = applications();
        Map<String, String> v1 = new LinkedHashMap<>();
        Map<String, String> v2 = new LinkedHashMap<>();
        for (String app : failsIn.keySet()) {
            SampleApp sample = SampleApp.start(pipeline.registryAddress(), repository(app), 0);
            sampleApps.add(sample);
            api.definePipeline(app, definition(app, sample));
            v1.put(app, image(app, 1).push(repository(app), "build-1"));
            ImageBuilder second = image(app, 2);
            if (failsIn.get(app) != null) {
                second.label(SampleApp.FAILS_IN_LABEL, failsIn.get(app));
            }
            v2.put(app, second.push(repository(app), "build-2"));
        }
        for (String app : failsIn.keySet()) {
            api.reportBuild(app, reported(app), v1.get(app), commit(1), "e2e");
        }
        for (String app : failsIn.keySet()) {
            await(app + " v1 healthy in prod (log: " + pipeline.log("rollback") + ")").atMost(MOVES)
                    .until(() -> PipelineApi.healthyIn(api.rollbackHistory(app, "prod"), v1.get(app)));
        }

        // The load: every application's second build, and one replica of each service dies in the middle of it.
        Path survivorLog = pipeline.replica("rollback", 1).log();
        int takeOversBefore = takeOvers(survivorLog);
        for (String app : failsIn.keySet()) {
            api.reportBuild(app, reported(app), v2.get(app), commit(2), "e2e");
        }
        await("a second build in dev").atMost(MOVES)
                .until(() -> failsIn.keySet().stream().anyMatch(app -> tag(app, "dev").equals(Optional.of(v2.get(app)))));
        Instant killed = Instant.now();
        for (String service : LocalPipeline.SERVICES) {
            pipeline.replica(service, 2).kill();
        }
        await("the surviving rollback replica owns every promotions partition (log: " + survivorLog + ")")
                .atMost(MOVES).pollInterval(Duration.ofMillis(100)).until(() -> takeOvers(survivorLog) > takeOversBefore
                        && readLog(survivorLog).contains("owning promotions partitions [0, 1]"));
        Duration takeOver = Duration.between(killed, Instant.now());

        for (String app : failsIn.keySet()) {
            for (String stage : STAGES) {
                String expected = stage.equals(failsIn.get(app)) ? v1.get(app) : v2.get(app);
                await(app + " " + stage + " settles on " + (expected.equals(v1.get(app)) ? "v1, rolled back" : "v2")
                        + " (logs: " + pipeline.log("promote") + ", " + survivorLog + ")").atMost(MOVES)
                        .until(() -> settled(app, stage, expected, v2.get(app)));
            }
        }
        Duration allSettled = Duration.between(killed, Instant.now());
        System.out.printf("replicas story: the surviving rollback replica took over every promotions partition %d ms"
                + " after the kill; every stage settled %d ms after it%n", takeOver.toMillis(), allSettled.toMillis());

        for (String app : failsIn.keySet()) {
            for (String stage : STAGES) {
                boolean failing = stage.equals(failsIn.get(app));
                List<String> moves = failing ? List.of(v1.get(app), v2.get(app), v1.get(app))
                        : List.of(v1.get(app), v2.get(app));
                // Every move once, in the rollback service's history and in promote's (both newest first).
                assertThat(digests(api.rollbackHistory(app, stage).path("deployments"), "digest"))
                        .as("%s %s in the rollback service's history", app, stage).containsExactlyElementsOf(reversed(moves));
                JsonNode promoted = PipelineApi.stage(api.application(app), stage);
                assertThat(digests(promoted.path("history"), "digest")).as("%s %s in promote's history", app, stage)
                        .containsExactlyElementsOf(reversed(moves));
                // The registry's tag is what both records say the stage runs.
                String current = moves.get(moves.size() - 1);
                assertThat(tag(app, stage)).as("%s:%s", app, stage).contains(current);
                assertThat(api.rollbackHistory(app, stage).path("current").asText()).isEqualTo(current);
                assertThat(promoted.path("current").asText()).isEqualTo(current);
                // Each move's deploy hook was called, once.
                String hook = "/hooks/" + app + "/" + stage;
                await(hook + " told of every move").atMost(MOVES).until(() -> standIns.hookCalls(hook) >= moves.size());
                assertThat(standIns.hookCalls(hook)).as("calls of %s", hook).isEqualTo(moves.size());
            }
        }
        assertThat(standIns.repeatedHookEvents()).as("deploy hook events delivered more than once").isEmpty();
        await("a Slack notice of every rollback").atMost(MOVES).until(() -> standIns.slackMessages().stream()
                .filter(text -> text.toLowerCase().contains("rolled back")).count() >= failsIn.values().stream().filter(s -> s != null).count());
        assertThat(standIns.repeatedSlackMessages()).as("Slack messages posted more than once").isEmpty();
    }

    /** Four applications, two in each promotions partition: one of each pair fails in prod, one of them also in stage. */
    private static Map<String, String> applications() {
        Map<String, String> failsIn = new LinkedHashMap<>();
        int[] perPartition = new int[2];
        for (int i = 0; failsIn.size() < 4; i++) {
            String app = "replica-" + i;
            int partition = Utils.toPositive(Utils.murmur2(app.getBytes(StandardCharsets.UTF_8))) % 2;
            if (perPartition[partition] == 0) {
                failsIn.put(app, "prod");
            } else if (perPartition[partition] == 1) {
                failsIn.put(app, partition == 0 ? "stage" : null);
            } else {
                continue;
            }
            perPartition[partition]++;
        }
        return failsIn;
    }

    private static boolean settled(String app, String stage, String expected, String second) {
        JsonNode history = api.rollbackHistory(app, stage);
        JsonNode promoted = PipelineApi.stage(api.application(app), stage);
        return history != null && tag(app, stage).equals(Optional.of(expected))
                && expected.equals(history.path("current").asText()) && expected.equals(promoted.path("current").asText())
                && digests(history.path("deployments"), "digest").contains(second);
    }

    private static String definition(String app, SampleApp sample) {
        StringBuilder yaml = new StringBuilder("application: " + app + "\n")
                .append("repository: ").append(reported(app)).append('\n')
                .append("stages:\n");
        for (String stage : STAGES) {
            yaml.append("  - name: ").append(stage).append('\n')
                    .append("    slack: { channel: C0REPLICAS }\n")
                    .append("    deployHook:\n")
                    .append("      url: ").append(standIns.url("/hooks/" + app + "/" + stage)).append('\n')
                    .append("      secret: e2e\n")
                    .append("    health:\n")
                    .append("      url: ").append(sample.healthUrl(stage)).append('\n')
                    .append("      interval: 1s\n")
                    .append("      timeout: 800ms\n")
                    .append("      failureThreshold: 3\n")
                    .append("      successThreshold: 2\n")
                    .append("      gracePeriod: 1s\n");
        }
        return yaml.toString();
    }

    /** How many times the rollback replica's log says it took its promotions partitions over. */
    private static int takeOvers(Path log) {
        return (int) readLog(log).lines().filter(line -> line.contains("owning promotions partitions")).count();
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> digests(JsonNode entries, String field) {
        List<String> values = new ArrayList<>();
        entries.forEach(entry -> values.add(entry.path(field).asText()));
        return values;
    }

    private static List<String> reversed(List<String> moves) {
        List<String> copy = new ArrayList<>(moves);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static String repository(String app) {
        return "e2e/" + app;
    }

    private static String reported(String app) {
        return pipeline.registryAddress() + "/" + repository(app);
    }

    private static ImageBuilder image(String app, int version) {
        return new ImageBuilder(registry).file("/app/version.txt", app + " " + version + "\n")
                .label("org.opencontainers.image.revision", commit(version)).user("1000");
    }

    private static String commit(int n) {
        return String.format("%040x", n);
    }

    private static Optional<String> tag(String app, String stage) {
        return registry.head(repository(app), stage).map(ManifestRef::digest);
    }

    /**
     * Slack's Web API ({@code chat.postMessage}, {@code chat.update}) and the stages' deploy hooks, counting what they
     * receive: a repeated message or hook event is a double send.
     */
    static final class StandIns implements AutoCloseable {

        private final HttpServer server;
        private final List<String> slack = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> hookEvents = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> hookCalls = new ConcurrentHashMap<>();
        private final AtomicInteger ts = new AtomicInteger();

        private StandIns(HttpServer server) {
            this.server = server;
        }

        static StandIns start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            StandIns standIns = new StandIns(server);
            server.createContext("/slack/api/", standIns::slack);
            server.createContext("/hooks/", standIns::hook);
            server.start();
            return standIns;
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        private void slack(HttpExchange exchange) throws IOException {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String method = exchange.getRequestURI().getPath().substring("/slack/api/".length());
            slack.add(method + " " + body.path("channel").asText() + " " + body.path("text").asText());
            String answer = JSON.createObjectNode().put("ok", true).put("channel", body.path("channel").asText())
                    .put("ts", ts.incrementAndGet() + ".000100").toString();
            respond(exchange, 200, answer);
        }

        private void hook(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("ce-id");
            if (id == null) {
                id = JSON.readTree(body).path("id").asText();
            }
            hookEvents.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            hookCalls.computeIfAbsent(exchange.getRequestURI().getPath(), key -> new AtomicInteger()).incrementAndGet();
            respond(exchange, 204, null);
        }

        private static void respond(HttpExchange exchange, int status, String json) throws IOException {
            if (json == null) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }

        int hookCalls(String path) {
            AtomicInteger calls = hookCalls.get(path);
            return calls == null ? 0 : calls.get();
        }

        List<String> repeatedHookEvents() {
            return hookEvents.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).toList();
        }

        List<String> slackMessages() {
            return List.copyOf(slack);
        }

        List<String> repeatedSlackMessages() {
            return slack.stream().filter(message -> slack.stream().filter(message::equals).count() > 1).distinct().toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
