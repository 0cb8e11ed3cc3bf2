package dev.promoter.test.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.kit.outbound.OutboundUrls;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HttpSmokePolicy;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP smoke check against a real loopback HTTP service: each expectation passing and failing, tries, backoff. */
class HttpSmokeCheckTest {

    private static final OutboundUrls LOOPBACK = OutboundUrls.allowing(List.of("127.0.0.0/8"));

    private static final Digest DIGEST = Digest.parse("sha256:" + "d".repeat(64));
    private static final Digest OLDER = Digest.parse("sha256:" + "e".repeat(64));

    private HttpServer server;
    private URI url;
    private final List<Duration> waits = new ArrayList<>();
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String serving = DIGEST.value();
    private volatile int failFirst;

    private HttpSmokeCheck check;

    private final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/digest", exchange -> answer(exchange, 200, serving));
        server.createContext("/api/cart", exchange -> {
            lastHeaders.put("method", exchange.getRequestMethod());
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            lastHeaders.put("accept", accept == null ? "" : accept);
            if (calls.incrementAndGet() <= failFirst) {
                answer(exchange, 503, "starting");
            } else {
                answer(exchange, 200, "{\"status\":\"UP\",\"items\":[{\"sku\":\"abc\",\"count\":2}]}");
            }
        });
        // Answers only once the test is over: later than any timeout a check may have.
        server.createContext("/slow", exchange -> {
            try {
                testOver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "late");
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        check = new HttpSmokeCheck(HttpClient.newHttpClient(), waits::add, LOOPBACK);
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private HttpSmokePolicy policy(String path, int status, String body, Map<String, String> json, int tries,
                                   String digestPath) {
        return new HttpSmokePolicy(url, "GET", path, Map.of("Accept", "application/json"), status, body, json,
                Duration.ofMillis(500), tries, Duration.ofMillis(100), digestPath);
    }

    @Test
    void aUrlTheOutboundAllowListRefusesIsNeverCalled() {
        HttpSmokeCheck guarded = new HttpSmokeCheck(HttpClient.newHttpClient(), waits::add,
                OutboundUrls.allowing(List.of("10.0.0.0/8")));
        SuiteRunVerdict verdict = guarded.run(policy("/api/cart", 200, null, Map.of(), 5, null), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(verdict.reason()).isEqualTo(url + "/api/cart was not called: refused by the outbound allow-list"
                + " (pipeline.outbound.allowed): 127.0.0.1 is not in the allow-list of outbound hosts (allowed:"
                + " 10.0.0.0/8)");
        assertThat(calls).hasValue(0);
        assertThat(waits).isEmpty();

        HttpSmokeCheck metadata = new HttpSmokeCheck(HttpClient.newHttpClient(), waits::add,
                OutboundUrls.allowing(List.of("0.0.0.0/0")));
        SuiteRunVerdict toMetadata = metadata.run(new HttpSmokePolicy(URI.create("http://169.254.169.254"), "GET",
                "/latest/meta-data/", Map.of(), 200, null, Map.of(), Duration.ofMillis(500), 1, Duration.ofMillis(100),
                null), DIGEST);
        assertThat(toMetadata.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(toMetadata.reason()).contains("169.254.169.254, a link-local or cloud metadata address");
    }

    @Test
    void anAnswerKeepingEveryExpectationPasses() {
        SuiteRunVerdict verdict = check.run(policy("/api/cart", 200, "UP", Map.of("/status", "UP", "/items/0/count", "2"),
                1, "/digest"), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(lastHeaders).containsEntry("method", "GET").containsEntry("accept", "application/json");
    }

    @Test
    void everyBrokenExpectationIsNamed() {
        SuiteRunVerdict verdict = check.run(policy("/api/cart", 201, "DOWN", Map.of("/status", "DOWN", "/missing", "x"),
                1, null), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.findings()).containsExactlyInAnyOrder(
                "GET /api/cart answered 200, expected 201",
                "GET /api/cart: the body does not contain 'DOWN'",
                "GET /api/cart: /status is 'UP', expected 'DOWN'",
                "GET /api/cart: /missing is missing, expected 'x'");
    }

    @Test
    void aStageStillStartingIsTriedAgainWithDoublingBackoff() {
        failFirst = 3;

        SuiteRunVerdict verdict = check.run(policy("/api/cart", 200, null, Map.of(), 5, null), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(calls).hasValue(4);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void aStageNeverReadyFailsWithTheLastAnswerAndTheTries() {
        failFirst = 100;

        SuiteRunVerdict verdict = check.run(policy("/api/cart", 200, null, Map.of(), 3, null), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.reason()).isEqualTo("GET /api/cart answered 503, expected 200 (after 3 tries)");
    }

    @Test
    void aStageServingAnotherDigestIsNotCheckedAndSaysWhatItServes() {
        serving = OLDER.value();

        SuiteRunVerdict verdict = check.run(policy("/api/cart", 200, null, Map.of(), 2, "/digest"), DIGEST);

        assertThat(verdict.reason()).isEqualTo("the stage serves " + OLDER.value() + " at /digest, not "
                + DIGEST.value() + " (after 2 tries)");
        assertThat(calls).hasValue(0);
    }

    @Test
    void aSlowAnswerTimesOut() {
        SuiteRunVerdict verdict = check.run(policy("/slow", 200, null, Map.of(), 1, null), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.reason()).isEqualTo("GET " + url + "/slow did not answer within 500 ms");
    }

    @Test
    void nobodyListeningIsAFailureOfTheStage() {
        server.stop(0);

        SuiteRunVerdict verdict = check.run(policy("/api/cart", 200, null, Map.of(), 1, null), DIGEST);

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.reason()).startsWith("GET " + url + "/api/cart failed: ");
    }

    @Test
    void backoffDoublesUpToThirtySeconds() {
        assertThat(HttpSmokeCheck.backoffBefore(2, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpSmokeCheck.backoffBefore(4, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(4));
        assertThat(HttpSmokeCheck.backoffBefore(20, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpSmokeCheck.backoffBefore(3, Duration.ZERO)).isEqualTo(Duration.ZERO);
    }
}
