package dev.promoter.test.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HttpSmokePolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import dev.promoter.testinfra.TopicWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Suites run side by side, against the real broker and database and a slow loopback stage that records when each
 * request came and went: different digests' suites at once, one digest's suites one after the other in their order,
 * and never more at once than the bounds allow ({@code %test}: 3 in all, 2 per stage).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ConcurrentSuitesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SLOW = Duration.ofMillis(700);

    /** One request the slow stage answered: which application, stage and suite asked, and when. */
    record Visit(String application, String stage, String suite, long startedNanos, long finishedNanos) {

        boolean overlaps(Visit other) {
            return startedNanos < other.finishedNanos && other.startedNanos < finishedNanos;
        }
    }

    private PipelineFixture pipeline;
    private TopicWriter writer;
    private TopicReader results;
    private HttpServer slowStage;
    private ExecutorService threads;
    private final List<Visit> visits = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Integer> mostInFlight = new HashMap<>();

    @BeforeEach
    void open() throws IOException {
        pipeline = PipelineFixture.open();
        writer = pipeline.writer();
        results = pipeline.reader(Topics.TEST_RESULTS);
        slowStage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        threads = Executors.newCachedThreadPool();
        slowStage.setExecutor(threads);
        // /slow/<application>/<stage>/<suite>: answers 200 after SLOW, counting requests in flight per stage and in all.
        slowStage.createContext("/slow/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String stage = parts[3];
            long started = System.nanoTime();
            entered(stage);
            try {
                Thread.sleep(SLOW.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            left(stage);
            visits.add(new Visit(parts[2], stage, parts[4], started, System.nanoTime()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slowStage.start();
    }

    @AfterEach
    void close() {
        slowStage.stop(0);
        threads.shutdownNow();
        pipeline.close();
    }

    @Test
    void suitesOfTwoDigestsRunAtTheSameTime() {
        String first = "side-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "side-" + UUID.randomUUID().toString().substring(0, 8);
        writer.publish(deployed(first, "test", smoke(first, "test", "cart-api")));
        writer.publish(deployed(second, "test", smoke(second, "test", "cart-api")));

        awaitResults(first, 1);
        awaitResults(second, 1);
        Visit a = visitOf(first, "cart-api");
        Visit b = visitOf(second, "cart-api");
        assertThat(a.overlaps(b)).as("the two digests' checks overlap in time: %s and %s", a, b).isTrue();
    }

    @Test
    void oneDigestsSuitesRunOneAfterTheOtherInTheirOrder() {
        String application = "order-" + UUID.randomUUID().toString().substring(0, 8);
        writer.publish(deployed(application, "test", smoke(application, "test", "first"),
                smoke(application, "test", "second"), smoke(application, "test", "third")));

        List<TestSuiteRunFinished> finished = awaitResults(application, 3);
        assertThat(finished).extracting(TestSuiteRunFinished::suite).containsExactly("first", "second", "third");
        assertThat(finished).extracting(TestSuiteRunFinished::outcome).containsOnly(Outcome.SUCCESS);
        Visit first = visitOf(application, "first");
        Visit second = visitOf(application, "second");
        Visit third = visitOf(application, "third");
        assertThat(first.finishedNanos()).isLessThanOrEqualTo(second.startedNanos());
        assertThat(second.finishedNanos()).isLessThanOrEqualTo(third.startedNanos());
    }

    @Test
    void neverMoreRunsAtOnceThanTheBoundsPerStageAndInAll() {
        List<String> applications = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String stage : List.of("dev", "prod")) {
                String application = "bound-" + stage + "-" + UUID.randomUUID().toString().substring(0, 8);
                applications.add(application);
                writer.publish(deployed(application, stage, smoke(application, stage, "cart-api")));
            }
        }

        applications.forEach(application -> awaitResults(application, 1));
        synchronized (inFlight) {
            assertThat(mostInFlight.get("dev")).as("at once in dev").isBetween(1, 2);
            assertThat(mostInFlight.get("prod")).as("at once in prod").isBetween(1, 2);
            assertThat(mostInFlight.get("all")).as("at once in all").isBetween(2, 3);
        }
    }

    private void entered(String stage) {
        synchronized (inFlight) {
            for (String key : List.of(stage, "all")) {
                int now = inFlight.merge(key, 1, Integer::sum);
                mostInFlight.merge(key, now, Math::max);
            }
        }
    }

    private void left(String stage) {
        synchronized (inFlight) {
            inFlight.merge(stage, -1, Integer::sum);
            inFlight.merge("all", -1, Integer::sum);
        }
    }

    private Visit visitOf(String application, String suite) {
        synchronized (visits) {
            return visits.stream().filter(v -> v.application().equals(application) && v.suite().equals(suite))
                    .findFirst().orElseThrow(() -> new AssertionError("the stage never saw " + application + " "
                            + suite + "; it saw " + visits));
        }
    }

    private List<TestSuiteRunFinished> awaitResults(String application, int count) {
        return await().atMost(WAIT).until(() -> results.poll(application), records -> records.size() >= count)
                .stream().map(r -> (TestSuiteRunFinished) CdEventCodec.decode(r.value()).event()).toList();
    }

    private SuitePolicy smoke(String application, String stage, String name) {
        URI url = URI.create("http://127.0.0.1:" + slowStage.getAddress().getPort());
        return new SuitePolicy(name, SuitePolicy.HTTP_SMOKE, List.of(), false, 1, 0, List.of(), List.of(),
                new HttpSmokePolicy(url, "GET", "/slow/" + application + "/" + stage + "/" + name, Map.of(), 200, null,
                        Map.of(), Duration.ofSeconds(5), 1, Duration.ofMillis(50), null), null);
    }

    private ServiceDeployed deployed(String application, String stage, SuitePolicy... suites) {
        return new ServiceDeployed(application, pipeline.repository("shop/" + application), stage,
                Digest.parse("sha256:" + sha(UUID.randomUUID().toString())), null, "promoted", "promote",
                new StagePolicy(List.of(suites), null));
    }

    private static String sha(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
