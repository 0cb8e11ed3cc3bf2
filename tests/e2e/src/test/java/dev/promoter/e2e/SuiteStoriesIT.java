package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.demo.PipelineApi;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stories of the test stage's suites with the four services as separate processes: a failing suite keeps the digest
 * where it is, and the test service's API says which suite failed and why.
 */
class SuiteStoriesIT {

    static final Duration MOVES = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static LocalPipeline pipeline;
    static PipelineApi api;
    static RegistryClient registry;
    static HttpServer stageApp;

    @BeforeAll
    static void startPipeline() throws IOException {
        pipeline = SharedStack.pipeline();
        api = pipeline.api();
        registry = pipeline.registry();
        // What the test stage runs, as far as the smoke check sees it: a cart API that answers 500.
        stageApp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stageApp.createContext("/api/cart", exchange -> {
            byte[] body = "{\"status\":\"broken\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stageApp.start();
    }

    @AfterAll
    static void stopPipeline() {
        if (stageApp != null) {
            stageApp.stop(0);
        }
    }

    @Test
    void aFailingSuiteInTestStopsTheDigestFromReachingStageAndTheApiSaysWhichAndWhy() throws Exception {
        String app = "basket";
        String repository = "e2e/basket";
        URI stageUrl = URI.create("http://127.0.0.1:" + stageApp.getAddress().getPort());
        api.definePipeline(app, """
                application: %s
                repository: %s/%s
                stages:
                  - name: dev
                  - name: test
                    suites:
                      - name: image-checks
                        kind: image-checks
                      - name: cart-api
                        kind: http-smoke
                        http:
                          url: %s
                          path: /api/cart
                          expectedJson: {/status: ok}
                          tries: 2
                          backoff: 100ms
                  - name: stage
                  - name: prod
                """.formatted(app, pipeline.registryAddress(), repository, stageUrl));
        String digest = new ImageBuilder(registry).file("/app/version.txt", "basket 1\n")
                .label("org.opencontainers.image.revision", "%040x".formatted(1)).user("1000")
                .push(repository, "build-1");

        api.reportBuild(app, pipeline.registryAddress() + "/" + repository, digest, "%040x".formatted(1), "e2e");

        await(repository + ":test at " + digest + " (log: " + pipeline.log("promote") + ")").atMost(MOVES)
                .until(() -> tag(repository, "test").equals(Optional.of(digest)));
        JsonNode failed = await("the cart-api suite's result (log: " + pipeline.log("test") + ")").atMost(MOVES)
                .until(() -> suite(tests(app, digest), "test", "cart-api"), run -> run != null
                        && "finished".equals(run.path("phase").asText()));
        assertThat(failed.path("outcome").asText()).isEqualTo("failure");
        assertThat(failed.path("kind").asText()).isEqualTo("http-smoke");
        assertThat(failed.path("reason").asText()).isEqualTo("GET /api/cart answered 500, expected 200;"
                + " GET /api/cart: /status is 'broken', expected 'ok' (after 2 tries)");
        JsonNode passed = await("the image-checks suite's result").atMost(MOVES)
                .until(() -> suite(tests(app, digest), "test", "image-checks"), run -> run != null);
        assertThat(passed.path("outcome").asText()).isEqualTo("success");

        // Both results are in: promote has seen them (or will within moments) and must not move the digest on.
        await("promote holds " + digest + " in test").during(Duration.ofSeconds(3)).atMost(MOVES)
                .until(() -> !tag(repository, "stage").equals(Optional.of(digest))
                        && !digest.equals(PipelineApi.stage(api.application(app), "stage").path("current").asText()));
        assertThat(tag(repository, "stage")).isEmpty();
    }

    private static JsonNode tests(String app, String digest) throws IOException {
        String path = "/api/v1/applications/" + app + "/artifacts/" + digest + "/tests";
        HttpResponse<String> response = api.get(api.endpoints().test(), path);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode suite(JsonNode runs, String stage, String suite) {
        JsonNode latest = null;
        for (JsonNode run : runs) {
            if (stage.equals(run.path("stage").asText()) && suite.equals(run.path("suite").asText())) {
                latest = run;
            }
        }
        return latest;
    }

    private static Optional<String> tag(String repository, String tag) {
        return registry.head(repository, tag).map(ManifestRef::digest);
    }
}
