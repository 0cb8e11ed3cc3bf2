package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.cli.Promoter;
import dev.promoter.demo.PipelineApi;
import dev.promoter.demo.SampleApp;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.harness.OtlpReceiver;
import dev.promoter.harness.OtlpReceiver.ReceivedSpan;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code promoter} CLI against the whole pipeline, as a release manager and an operator use it: define an
 * application, watch a build wait for approval and approve it, read status, history, why, builds, tests and the audit
 * trail, refusals of reject, pin, see an automatic rollback and quarantine, lift the quarantine, roll back by
 * hand, promote by hand, stop and resume the line, read the DORA figures, list dead letters, replay a poison record once its cause is fixed; every command's
 * refusals and its {@code --output json}. One stack for the whole class, exporting its spans to an OTLP receiver on
 * loopback: the build that fails in prod is reported with a {@code traceparent}, and one trace holds its journey from
 * that call to its rollback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliStoriesIT {

    static final String APP = "cli-shop";
    static final String REPOSITORY = "e2e/cli-shop";
    static final Duration MOVES = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static LocalPipeline pipeline;
    static SampleApp sampleApp;
    static Path work;
    static Map<String, String> env;
    static String v1;
    static String v2;
    static OtlpReceiver otlp;
    /** The trace of the build call that reports v2, as a CI job calling with a W3C traceparent starts it. */
    static final String TRACE_ID = HexFormat.of().formatHex(randomBytes(16));
    static final String CALLER_SPAN_ID = HexFormat.of().formatHex(randomBytes(8));

    record Run(int status, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    @BeforeAll
    static void startPipeline() throws IOException {
        // The guide's complete example names its stages' hosts: the services' outbound allow-list admits them.
        otlp = OtlpReceiver.start();
        Map<String, String> serviceEnv = new HashMap<>(otlp.serviceEnvironment());
        serviceEnv.put("PIPELINE_OUTBOUND_ALLOWED", "127.0.0.0/8,::1,localhost,*.internal,deployer.example");
        pipeline = LocalPipeline.start(LocalPipeline.Settings.fromSystemProperties().withServiceEnvironment(serviceEnv));
        sampleApp = SampleApp.start(pipeline.registryAddress(), REPOSITORY, 0);
        work = Files.createTempDirectory("cli-stories");
        PipelineApi.Endpoints at = pipeline.api().endpoints();
        env = new HashMap<>();
        env.put("PROMOTER_URL_BUILD", at.build().toString());
        env.put("PROMOTER_URL_TEST", at.test().toString());
        env.put("PROMOTER_URL_PROMOTE", at.promote().toString());
        env.put("PROMOTER_URL_ROLLBACK", at.rollback().toString());
        for (String service : LocalPipeline.SERVICES) {
            env.put("PROMOTER_TOKEN_" + service.toUpperCase(), pipeline.apiToken(service));
        }
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (sampleApp != null) {
            sampleApp.close();
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    static Run promoter(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Promoter.run(args, new Promoter.Environment(env, work, null, Clock.systemUTC()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run done(String... args) {
        Run run = promoter(args);
        assertThat(run.status()).as("promoter %s: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    static Run refused(String... args) {
        Run run = promoter(args);
        assertThat(run.status()).as("promoter %s refused: %s", String.join(" ", args), run.out()).isEqualTo(1);
        assertThat(run.err().lines().count()).as("one line: %s", run.err()).isEqualTo(1);
        return run;
    }

    static String definition(String prodGrace) {
        return """
                application: %1$s
                repository: %2$s/%3$s
                stages:
                  - name: dev
                    suites:
                      - name: image-checks
                        kind: image-checks
                        requiredLabels: [org.opencontainers.image.revision]
                  - name: prod
                    gates:
                      approvals: { count: 1, from: ["api:%4$s"], expiry: 1h }
                    health:
                      url: %5$s
                      interval: 1s
                      timeout: 900ms
                      failureThreshold: 2
                      successThreshold: 2
                      gracePeriod: %6$s
                """.formatted(APP, pipeline.registryAddress(), REPOSITORY, LocalPipeline.CALLER,
                sampleApp.healthUrl("prod"), prodGrace);
    }

    @Test
    @Order(1)
    void defineShowsTheChangeDryRunSavesNothingAndInvalidDefinitionsAreRefused() throws IOException {
        assertThat(done("status").out()).contains("no application has a pipeline definition yet");
        assertThat(done("status", "-o", "json").json().isArray()).isTrue();
        assertThat(refused("status", APP).err()).contains("application " + APP + " has no pipeline definition");
        assertThat(refused("get-definition", APP).err()).contains("has no pipeline definition");

        Path file = Files.writeString(work.resolve("pipeline.yaml"), "# the CLI story's pipeline\n" + definition("500ms"));
        Run dryRun = done("define", APP, "-f", file.toString(), "--dry-run");
        assertThat(dryRun.out()).contains("no definition of " + APP + " was stored").contains("+application: " + APP)
                .contains("dry run: the promote service found the definition valid; nothing saved");
        refused("get-definition", APP);

        Path invalid = Files.writeString(work.resolve("invalid.yaml"), "application: " + APP + "\nrepository: "
                + pipeline.registryAddress() + "/" + REPOSITORY + "\nstages: []\n");
        assertThat(refused("define", APP, "-f", invalid.toString()).err())
                .startsWith("promoter: the promote service refused PUT /api/v1/applications/" + APP + "/pipeline (400")
                .contains("the pipeline definition is invalid; nothing was saved");
        // A dry run is checked by the service as a save is, in the same words, and saves nothing either.
        assertThat(refused("define", APP, "-f", invalid.toString(), "--dry-run").err())
                .startsWith("promoter: the promote service refused POST /api/v1/applications/" + APP
                        + "/pipeline/validate (400")
                .contains("the pipeline definition is invalid; nothing was saved");
        refused("get-definition", APP);

        assertThat(done("define", APP, "-f", file.toString()).out()).contains("saved the pipeline definition of " + APP)
                .contains("+application: " + APP);
        assertThat(done("get-definition", APP).out()).contains("application: " + APP);
        assertThat(done("get-definition", APP, "-o", "json").json().path("application").asText()).isEqualTo(APP);

        Path changed = Files.writeString(work.resolve("changed.yaml"), definition("600ms"));
        Run diff = done("define", APP, "-f", changed.toString(), "--dry-run", "-o", "json");
        assertThat(diff.json().path("saved").asBoolean()).isFalse();
        assertThat(diff.json().path("diff").toString()).containsPattern("\"- +gracePeriod: 500ms\"")
                .containsPattern("\"\\+ +gracePeriod: 600ms\"");
        Run saved = done("define", APP, "-f", changed.toString());
        assertThat(saved.out()).containsPattern("\n- +gracePeriod: 500ms\n\\+ +gracePeriod: 600ms\n")
                .contains("successThreshold: 2");
        assertThat(done("get-definition", APP).out()).contains("gracePeriod: 600ms");
    }

    @Test
    @Order(2)
    void aBuildWaitsForApprovalWhyExplainsItAndTheCliApprovesIt() {
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> promoter("watch", APP, "--interval", "200ms",
                "--for", "40s"));
        v1 = push("v1", 1, null);
        report(v1, 1);

        await("v1 waits for an approval to enter prod").atMost(MOVES)
                .until(() -> promoter("why", APP, "prod").out().contains("approval"));
        Run why = done("why", APP, "prod");
        assertThat(why.out()).contains("prod: ").contains(shortDigest(v1) + " from dev").contains("… waiting")
                .contains("approvals");
        assertThat(done("why", APP, "-o", "json").json().path("stages").get(1).path("pending").get(0)
                .path("digest").asText()).isEqualTo(v1);
        assertThat(done("status", APP).out()).contains("waiting: ").contains(shortDigest(v1) + " from dev");

        assertThat(refused("reject", APP, "dev").err()).contains("nothing waits to enter dev of " + APP);
        assertThat(refused("approve", APP, "prod", "--token", "not-a-token").err())
                .contains("the promote service did not accept the token from --token (401): set PROMOTER_TOKEN");
        assertThat(refused("approve", APP, "nowhere", v1).err()).isNotBlank();

        Run approved = done("approve", APP, "prod", "-m", "ship v1");
        assertThat(approved.out()).contains(APP + " prod: " + shortDigest(v1) + " approved by api:" + LocalPipeline.CALLER);
        await("prod runs v1").atMost(MOVES).until(() -> tag("prod").equals(Optional.of(v1)));

        JsonNode decisions = done("decisions", APP, "-o", "json").json();
        assertThat(decisions.get(0).path("decision").asText()).isEqualTo("approve");
        assertThat(decisions.get(0).path("comment").asText()).isEqualTo("ship v1");
        assertThat(done("decisions", APP).out()).contains("approve").contains("api:" + LocalPipeline.CALLER);

        assertThat(done("builds", APP).out()).contains(shortDigest(v1)).contains("dev-author");
        assertThat(done("builds", APP, "-o", "json").json().path("artifacts").get(0).path("digest").asText())
                .isEqualTo(v1);
        assertThat(refused("builds", "nobody").err()).contains("knows nothing of application nobody");

        await("the image checks of v1 are recorded").atMost(MOVES)
                .until(() -> done("tests", APP, v1, "-o", "json").json().size() > 0);
        assertThat(done("tests", APP, v1).out()).contains("dev").contains("image-checks");
        assertThat(refused("tests", APP, "sha256:nope").err()).contains("the test service refused").contains("(400");

        await("v1 healthy in prod").atMost(MOVES)
                .until(() -> done("history", APP, "prod").out().contains("Health: healthy at"));
        assertThat(done("history", APP, "prod").out()).contains("prod  (health: healthy)")
                .containsPattern("● \\S+ " + shortDigest(v1));
        assertThat(done("history", APP, "prod", "-o", "json").json().path("current").asText()).isEqualTo(v1);
        assertThat(refused("history", APP, "qa").err()).contains(APP + " has no stage qa; its stages: dev, prod");

        Run watched = watch.join();
        assertThat(watched.status()).isZero();
        assertThat(watched.out()).contains(APP + " prod: " + shortDigest(v1) + " waits: ")
                .contains(APP + " prod moved to " + shortDigest(v1)).contains("health: watching → healthy");
    }

    @Test
    @Order(3)
    void aFailingDigestIsRolledBackAndQuarantinedAndTheOperatorLiftsAndRollsBackByHand() {
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> promoter("watch", "--interval", "200ms",
                "--for", "40s", "-o", "json"));
        v2 = push("v2", 2, "prod");
        reportTraced(v2, 2);
        await("v2 waits for prod").atMost(MOVES).until(() -> promoter("why", APP, "prod").out().contains("approval"));
        assertThat(refused("reject", APP, "prod", "sha256:" + "0".repeat(64)).err()).isNotBlank();
        done("approve", APP, "prod", v2, "-m", "ship v2");

        await("prod rolled back to v1 after v2 failed there").atMost(MOVES)
                .until(() -> tag("prod").equals(Optional.of(v1))
                        && done("quarantine", "list", APP, "-o", "json").json().size() == 1);
        JsonNode quarantined = done("quarantine", "list", "-o", "json").json().get(0);
        assertThat(quarantined.path("stage").asText()).isEqualTo("prod");
        assertThat(quarantined.path("digest").asText()).isEqualTo(v2);
        assertThat(done("quarantine", "list").out()).contains(v2);
        Run status = done("status", APP);
        assertThat(status.out()).contains(shortDigest(v2) + "  (quarantined)").contains("RollbackOf: ");

        assertThat(refused("rollback", APP, "prod", "--to", v2, "-m", "try again").err())
                .contains("is quarantined in " + APP + " in stage prod");
        assertThat(refused("quarantine", "lift", APP, "dev", v2, "-m", "fixed").err()).contains("is not quarantined");
        done("quarantine", "lift", APP, "prod", v2, "-m", "the fault was in the probe");
        // Promote hears of the lift from the rollback service's event: its view follows a moment later.
        await("promote hears the quarantine was lifted").atMost(MOVES)
                .until(() -> done("quarantine", "list", APP).out().contains("nothing is quarantined"));

        await("dev runs v2").atMost(MOVES).until(() -> tag("dev").equals(Optional.of(v2)));
        await("promote's view has dev on v2").atMost(MOVES)
                .until(() -> v2.equals(PipelineApi.stage(pipeline.api().application(APP), "dev").path("current").asText()));
        assertThat(PipelineApi.stage(pipeline.api().application(APP), "dev").hasNonNull("rollbackTarget"))
                .as("promote shows the target the rollback service would choose: none, v1 was never found healthy in dev")
                .isFalse();
        assertThat(refused("rollback", APP, "dev", "-m", "no target").err()).contains("no earlier digest to go back to");
        Run rolledBack = done("rollback", APP, "dev", "--to", v1, "-m", "v2 broke prod");
        assertThat(rolledBack.out()).contains(APP + " dev rolled back: runs " + shortDigest(v1) + " again, left "
                + shortDigest(v2));
        await("dev runs v1 again").atMost(MOVES).until(() -> tag("dev").equals(Optional.of(v1)));

        assertThat(refused("promote", APP, "prod", "sha256:" + "1".repeat(64)).err()).contains("never entered dev");
        Run promoted = done("promote", APP, "dev", v2, "-m", "v2 again, by hand");
        assertThat(promoted.out()).contains(APP + " dev: ").contains(" asked to promote by ");
        await("dev runs v2 again, promoted by hand").atMost(MOVES).until(() -> tag("dev").equals(Optional.of(v2)));
        assertThat(refused("promote", APP, "dev", v2, "-o", "json").err()).contains("dev already runs");
        assertThat(done("decisions", APP, "-o", "json").json().findValuesAsText("comment"))
                .contains("v2 again, by hand");

        done("pin", APP, "prod", "-m", "release freeze");
        assertThat(done("status", APP).out()).contains(shortDigest(v1) + " by api:")
                .contains("release freeze");
        assertThat(done("why", APP, "prod").out()).contains("prod is pinned at ");
        assertThat(done("unpin", APP, "prod", "-o", "json").json().path("stage").asText()).isEqualTo("prod");

        Run watched = watch.join();
        assertThat(watched.status()).isZero();
        assertThat(watched.out()).contains("ROLLED BACK to " + shortDigest(v1)).contains("quarantined " + shortDigest(v2))
                .contains("\"change\"");
    }

    @Test
    @Order(4)
    void oneTraceHoldsV2sJourneyFromTheBuildCallThroughEveryStageToItsRollback() throws Exception {
        // Spans are exported in batches every 100 ms: the last ones (the rollback's) may still be on their way.
        await("the rollback of v2 in prod is exported in v2's trace").atMost(MOVES)
                .until(() -> !named(otlp.trace(TRACE_ID), "rollback prod").isEmpty());
        List<ReceivedSpan> trace = otlp.trace(TRACE_ID);

        // The build call continued the caller's trace: its server span is the caller's span's child.
        assertThat(trace).filteredOn(span -> span.service().equals("build") && span.kind().equals("SPAN_KIND_SERVER"))
                .isNotEmpty().allSatisfy(span -> {
                    assertThat(span.parentSpanId()).isEqualTo(CALLER_SPAN_ID);
                    assertThat(span.attribute("http.route")).isEqualTo("/api/v1/builds");
                });
        // Every hop's event crossed Kafka in the trace: each consumer continued it.
        assertThat(trace).filteredOn(span -> span.kind().equals("SPAN_KIND_CONSUMER"))
                .extracting(ReceivedSpan::service).contains("test", "promote", "rollback");
        // One CONSUMER span per record and consumer, the pipeline's own "process <topic>": no second one from the
        // Kafka connector.
        List<ReceivedSpan> consumers = trace.stream().filter(span -> span.kind().equals("SPAN_KIND_CONSUMER")).toList();
        assertThat(consumers).allSatisfy(span -> assertThat(span.name()).startsWith("process "));
        assertThat(consumers).extracting(span -> span.service() + " <- " + span.parentSpanId()).doesNotHaveDuplicates();
        // The test service's suites of v2 in dev.
        assertThat(named(trace, "suites dev")).isNotEmpty().allSatisfy(span -> pipelineSpan(span, "dev", v2));
        // Promote's gate decisions and moves, each retag naming application, stage and digest.
        assertThat(named(trace, "gate prod")).isNotEmpty().allSatisfy(span -> pipelineSpan(span, "prod", v2));
        assertThat(named(trace, "retag dev")).isNotEmpty().allSatisfy(span -> {
            pipelineSpan(span, "dev", span.attribute("promoter.digest"));
            assertThat(span.kind()).isEqualTo("SPAN_KIND_CLIENT");
        });
        assertThat(named(trace, "retag dev")).extracting(span -> span.attribute("promoter.digest")).contains(v2);
        ReceivedSpan retagProd = named(trace, "retag prod").stream()
                .filter(span -> v2.equals(span.attribute("promoter.digest"))).findFirst().orElseThrow();
        pipelineSpan(retagProd, "prod", v2);
        // The approval is a call of its own trace: it is linked to the gate decision it caused (not its parent), and
        // the move into prod follows inside the artifact's trace.
        assertThat(named(trace, "gate prod")).anySatisfy(gate -> assertThat(gate.links()).anySatisfy(link -> {
            assertThat(link.attributes()).containsEntry("promoter.link", "triggered-by");
            assertThat(link.traceId()).isNotEqualTo(TRACE_ID);
            assertThat(otlp.trace(link.traceId())).anySatisfy(call -> {
                assertThat(call.service()).isEqualTo("promote");
                assertThat(call.kind()).isEqualTo("SPAN_KIND_SERVER");
                assertThat(call.attribute("http.route")).endsWith("/approvals");
            });
        }));
        ReceivedSpan moveProd = named(trace, "promote prod").stream()
                .filter(span -> v2.equals(span.attribute("promoter.digest"))).findFirst().orElseThrow();
        assertThat(trace).extracting(ReceivedSpan::spanId).contains(moveProd.parentSpanId(), retagProd.parentSpanId());
        // The rollback is in the same trace, linked to the move it undoes (v2's move into prod, heard by rollback).
        ReceivedSpan rollback = named(trace, "rollback prod").get(0);
        pipelineSpan(rollback, "prod", v2);
        assertThat(rollback.service()).isEqualTo("rollback");
        assertThat(rollback.links()).anySatisfy(link -> {
            assertThat(link.attributes()).containsEntry("promoter.link", "undoes");
            assertThat(link.traceId()).isEqualTo(TRACE_ID);
            assertThat(trace).extracting(ReceivedSpan::spanId).contains(link.spanId());
        });
        // Promote's histograms carry exemplars in the OpenMetrics format (as Prometheus scrapes): a sample's trace id,
        // one the collector got.
        String openMetrics = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        Matcher exemplar = Pattern.compile("^pipeline_hop_seconds_bucket\\{[^}]*\\} \\S+ # \\{[^}]*trace_id=\"([0-9a-f]{32})\"",
                Pattern.MULTILINE).matcher(openMetrics);
        assertThat(exemplar.find()).as("an exemplar on pipeline_hop_seconds_bucket in%n%s", openMetrics.lines()
                .filter(line -> line.startsWith("pipeline_hop_seconds_bucket")).limit(20).toList()).isTrue();
        assertThat(otlp.trace(exemplar.group(1))).isNotEmpty();
        // The consumer lag the shipped alert reads, per topic, in the plain text format.
        assertThat(scrape("text/plain")).containsPattern(
                "(?m)^kafka_consumer_fetch_manager_records_lag\\{[^}]*topic=\"[^\"]*artifacts[^\"]*\"[^}]*\\} ");

        // Nothing of v1's journey (reported without a traceparent) is in this trace.
        assertThat(trace).noneMatch(span -> v1.equals(span.attribute("promoter.digest"))
                && span.name().startsWith("suites"));
    }

    @Test
    @Order(5)
    void anOperatorStopsAndResumesTheLineListsDeadLettersAndAServiceThatDoesNotAnswerSaysSo() throws IOException {
        assertThat(done("stop-the-line", APP, "-m", "incident 7").out()).contains("line stopped for " + APP);
        assertThat(done("status", APP).out()).contains("line stopped for " + APP).contains("incident 7")
                .contains("rollbacks still happen");
        assertThat(refused("stop-the-line", APP, "-m", "again").err()).contains("(409");
        assertThat(done("resume", APP).out()).contains("line resumed for " + APP);
        assertThat(done("status", APP).out()).doesNotContain("line stopped");
        assertThat(refused("resume", APP).err()).contains("the line of " + APP + " is not stopped");

        // Prod took v1 and v2 (the rollback to v1 is no deployment) and v2 was rolled back: 1 of 2 failed.
        JsonNode dora = done("dora", APP, "-o", "json").json();
        assertThat(dora.path("stage").asText()).isEqualTo("prod");
        assertThat(dora.path("deploymentFrequency").path("deployments").asInt()).isEqualTo(2);
        assertThat(dora.path("changeFailureRate").path("failed").asInt()).isEqualTo(1);
        assertThat(done("dora", APP, "--window", "7d").out()).contains(APP + " prod, last 7d")
                .contains("2 deployments").contains("50 % (1 of 2 rolled back, held or quarantined)");
        assertThat(refused("dora", APP, "--window", "soon").err()).contains("window must be <n>d, <n>h or <n>m");

        assertThat(done("dead-letters", "list").out()).contains("no dead letters");
        JsonNode letters = done("dead-letters", "list", "-o", "json").json();
        for (String service : LocalPipeline.SERVICES) {
            assertThat(letters.path(service).isArray()).as("dead letters of %s: %s", service, letters).isTrue();
            assertThat(letters.path(service)).isEmpty();
        }
        assertThat(refused("dead-letters", "replay", "999999", "--service", "build").err())
                .isEqualTo("promoter: no dead letter 999999\n");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run unreachable = promoter("rollback", APP, "prod", "-m", "x", "--rollback-url", "http://127.0.0.1:" + closed);
        assertThat(unreachable.status()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach the rollback service at http://127.0.0.1:" + closed)
                .contains("./pipeline up");
    }

    @Test
    @Order(6)
    void theGuidesCompleteDefinitionIsSavedAsItStands() throws IOException {
        String guide = Files.readString(Path.of(System.getProperty("pipeline.root", "../.."), "docs/guide.md"));
        int marker = guide.indexOf("<!-- the complete example: tests/e2e CliStoriesIT saves it -->");
        assertThat(marker).as("the guide marks its complete example").isPositive();
        int start = guide.indexOf("```yaml\n", marker) + "```yaml\n".length();
        // Promote takes repositories of the registry it manages only: this run's, instead of the example's.
        String yaml = guide.substring(start, guide.indexOf("```", start))
                .replace("registry.example.com", pipeline.registryAddress());
        Path file = Files.writeString(work.resolve("guide.yaml"), yaml);

        assertThat(done("define", "shop-cart", "-f", file.toString()).out()).contains("saved the pipeline definition");
        JsonNode stored = done("get-definition", "shop-cart", "-o", "json").json();
        assertThat(stored.path("stages").size()).isEqualTo(4);
        assertThat(stored.path("stages").get(3).path("gates").path("approvals").path("count").asInt()).isEqualTo(2);
        assertThat(done("define", "shop-cart", "-f", file.toString()).out())
                .contains("no line differs from the stored definition of shop-cart");
    }

    /**
     * A real poison record: an artifact published (straight onto the topic, as another build system would) while the
     * registry does not hold its image in the repository it names. Promote cannot move it into dev, tries a few times
     * and sets it aside. The operator sees it with the CLI and the API, fixes the cause (the image pushed where it
     * belongs) and replays it; the artifact then goes its way and the unreplayed gauge is back at 0.
     */
    @Test
    @Order(7)
    void aRecordPromoteCannotApplyIsDeadLetteredThenReplayedOnceItsCauseIsFixedAndTheArtifactMovesOn() throws Exception {
        String app = "cli-poison";
        String repository = "e2e/cli-poison";
        pipeline.api().definePipeline(app, """
                application: %s
                repository: %s/%s
                stages:
                  - name: dev
                  - name: test
                """.formatted(app, pipeline.registryAddress(), repository));
        ImageBuilder image = new ImageBuilder(pipeline.registry()).file("/app/version.txt", app + " 1\n")
                .label("org.opencontainers.image.revision", commit(9)).user("1000");
        String digest = image.push("e2e/cli-poison-staging", "build-1");
        String eventId = publishArtifact(app, pipeline.registryAddress() + "/" + repository, digest);

        JsonNode letter = await("promote sets the record aside (log: " + pipeline.log("promote") + ")").atMost(MOVES)
                .until(() -> poison(eventId), found -> found != null);
        assertThat(letter.path("topic").asText()).isEqualTo(Topics.ARTIFACTS.name());
        assertThat(letter.path("key").asText()).isEqualTo(app);
        assertThat(letter.path("eventType").asText()).isEqualTo("ArtifactPublished");
        assertThat(letter.path("reason").asText()).startsWith("could not be applied: ").contains("404");
        assertThat(letter.path("replayedAt").isNull()).isTrue();
        String id = letter.path("id").asText();
        assertThat(done("dead-letters", "list", "--service", "promote").out()).contains("eventId=" + eventId)
                .contains("key=" + app);
        assertThat(unreplayedArtifacts()).isEqualTo(1.0);
        assertThat(tag(repository, "dev")).isEmpty();

        // A viewer may look but not replay; an operator replays once the image is where the record says.
        Map<String, String> operator = new HashMap<>(env);
        env.put("PROMOTER_TOKEN_PROMOTE", pipeline.viewerToken());
        try {
            assertThat(refused("dead-letters", "replay", id, "--service", "promote").err()).contains("(403");
        } finally {
            env.clear();
            env.putAll(operator);
        }
        assertThat(image.push(repository, "build-1")).isEqualTo(digest);
        assertThat(done("dead-letters", "replay", id, "--service", "promote").out())
                .isEqualTo("dead letter " + id + " of the promote service replayed: APPLIED\n");

        await(app + " in test after the replay").atMost(MOVES).until(() -> tag(repository, "test").equals(Optional.of(digest)));
        assertThat(tag(repository, "dev")).contains(digest);
        assertThat(poison(eventId).path("replayedBy").asText()).isEqualTo(LocalPipeline.CALLER);
        await("the unreplayed gauge back at 0").atMost(MOVES).until(CliStoriesIT::unreplayedArtifacts, is(0.0));
        assertThat(refused("dead-letters", "replay", id, "--service", "promote").err()).contains("(409");
    }

    /** Publishes an artifact.published record straight onto the artifacts topic; returns its event id. */
    private static String publishArtifact(String app, String repository, String digest) throws Exception {
        ArtifactPublished published = new ArtifactPublished(app, repository, Digest.parse(digest), commit(9), null, "e2e");
        EventContext context = new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/build"), Instant.now(),
                UUID.randomUUID().toString());
        PipelineTopics.publish(pipeline.bootstrapServers(), Topics.ARTIFACTS.name(), app,
                CdEventCodec.encode(published, context));
        return context.id();
    }

    /** Promote's dead letter of that event, as {@code GET /api/v1/dead-letters} lists it; null while there is none. */
    private static JsonNode poison(String eventId) throws IOException, InterruptedException {
        for (JsonNode letter : promoteGet("/api/v1/dead-letters").path("deadLetters")) {
            if (letter.path("eventId").asText().equals(eventId)) {
                return letter;
            }
        }
        return null;
    }

    /** {@code pipeline_dead_letters_unreplayed} of the artifacts topic in promote's metrics; -1 while there is none. */
    private static double unreplayedArtifacts() throws IOException, InterruptedException {
        String series = "pipeline_dead_letters_unreplayed{topic=\"" + Topics.ARTIFACTS.name() + "\"} ";
        return HTTP.send(HttpRequest.newBuilder(pipeline.api().endpoints().promote().resolve("/q/metrics"))
                        .header("Authorization", "Bearer " + pipeline.viewerToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim())).findFirst().orElse(-1);
    }

    private static JsonNode promoteGet(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(pipeline.api().endpoints().promote().resolve(path))
                .header("Authorization", "Bearer " + pipeline.viewerToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static Optional<String> tag(String repository, String tag) {
        return pipeline.registry().head(repository, tag).map(ManifestRef::digest);
    }

    private static String push(String version, int commit, String failsIn) {
        ImageBuilder image = new ImageBuilder(pipeline.registry())
                .file("/app/version.txt", APP + " " + version + "\n")
                .label("org.opencontainers.image.revision", commit(commit))
                .label("org.opencontainers.image.version", version)
                .user("1000");
        if (failsIn != null) {
            image.label(SampleApp.FAILS_IN_LABEL, failsIn);
        }
        return image.push(REPOSITORY, "build-" + version);
    }

    /** Reports the build; a report repeated after a slow answer is a duplicate, so a timeout is simply tried again. */
    private static void report(String digest, int commit) {
        await("the build service takes the report (log: " + pipeline.log("build") + ")").atMost(MOVES)
                .ignoreExceptions().until(() -> pipeline.api().reportBuild(APP, pipeline.registryAddress() + "/"
                        + REPOSITORY, digest, commit(commit), "dev-author") != null);
    }

    /** As {@link #report}, the call carrying a W3C traceparent as a traced CI job sends it. */
    private static void reportTraced(String digest, int commit) {
        String body = JSON.createObjectNode().put("application", APP)
                .put("repository", pipeline.registryAddress() + "/" + REPOSITORY).put("digest", digest)
                .put("commit", commit(commit)).put("author", "dev-author").toString();
        HttpRequest request = HttpRequest.newBuilder(pipeline.api().endpoints().build().resolve("/api/v1/builds"))
                .header("Authorization", "Bearer " + pipeline.apiToken("build"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpClient http = HttpClient.newHttpClient();
        await("the build service takes the traced report (log: " + pipeline.log("build") + ")").atMost(MOVES)
                .ignoreExceptions().until(() -> http.send(request, HttpResponse.BodyHandlers.ofString())
                        .statusCode() / 100 == 2);
    }

    /** Promote's {@code /q/metrics} in the format asked for. */
    private static String scrape(String accept) throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        pipeline.api().endpoints().promote().resolve("/q/metrics")).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    private static List<ReceivedSpan> named(List<ReceivedSpan> spans, String name) {
        return spans.stream().filter(span -> span.name().equals(name)).toList();
    }

    /** A span of the pipeline's own: it names the application, the stage and the digest it is about. */
    private static void pipelineSpan(ReceivedSpan span, String stage, String digest) {
        assertThat(span.attributes()).as("%s", span.name()).containsEntry("promoter.application", APP)
                .containsEntry("promoter.stage", stage).containsEntry("promoter.digest", digest);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String commit(int n) {
        return String.format("%040x", n);
    }

    private static String shortDigest(String digest) {
        return digest.substring(0, "sha256:".length() + 12);
    }

    private static Optional<String> tag(String stage) {
        return pipeline.registry().head(REPOSITORY, stage).map(ManifestRef::digest);
    }
}
