package dev.promoter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.OciRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample app's health follows the image its stage tag points at, read from the real registry. */
class SampleAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path stateDir;
    static OciRegistry registry;
    static RegistryClient client;
    static SampleApp app;

    @BeforeAll
    static void start() throws IOException {
        registry = new OciRegistry(stateDir, LoopbackPorts.free());
        registry.start(false);
        client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
        app = SampleApp.start(registry.hostPort(), "shop/cart", 0);
    }

    @AfterAll
    static void stop() {
        app.close();
        registry.stop();
    }

    @Test
    void aStageIsUpWhileItsImageDoesNotListItAndDownOnceTheTagMovesToOneThatDoes() throws Exception {
        String healthy = image("1").push("shop/cart", "build-1");
        String failing = image("2").label(SampleApp.FAILS_IN_LABEL, "stage, prod").push("shop/cart", "build-2");

        client.retag("shop/cart", healthy, "prod");
        Answer up = get("/stages/prod/health");
        client.retag("shop/cart", failing, "prod");
        Answer down = get("/stages/prod/health");
        client.retag("shop/cart", healthy, "prod");

        assertThat(up.status()).isEqualTo(200);
        assertThat(up.body().path("status").asText()).isEqualTo("UP");
        assertThat(up.body().path("digest").asText()).isEqualTo(healthy);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body().path("status").asText()).isEqualTo("DOWN");
        assertThat(down.body().path("digest").asText()).isEqualTo(failing);
        assertThat(get("/stages/prod/health").status()).as("a rollback cures the stage").isEqualTo(200);
    }

    @Test
    void theDigestEndpointNamesWhatTheStageRunsAndAStageWithoutATagIsNotFound() throws Exception {
        String digest = image("3").push("shop/cart", "build-3");
        client.retag("shop/cart", digest, "test");

        assertThat(get("/stages/test/digest").body().path("digest").asText()).isEqualTo(digest);
        assertThat(get("/stages/nowhere/health").status()).isEqualTo(404);
        assertThat(get("/stages/nowhere/digest").status()).isEqualTo(404);
        assertThat(get("/").body().path("repository").asText()).isEqualTo(registry.hostPort() + "/shop/cart");
    }

    @Test
    void theFailsInLabelListsStagesByExactName() {
        Map<String, String> labels = Map.of(SampleApp.FAILS_IN_LABEL, "stage, prod");

        assertThat(SampleApp.failsIn("prod", labels)).isTrue();
        assertThat(SampleApp.failsIn("stage", labels)).isTrue();
        assertThat(SampleApp.failsIn("test", labels)).isFalse();
        assertThat(SampleApp.failsIn("pro", labels)).isFalse();
        assertThat(SampleApp.failsIn("prod", Map.of())).isFalse();
    }

    private static ImageBuilder image(String version) {
        return new ImageBuilder(client).file("/app/version.txt", version + "\n")
                .label("org.opencontainers.image.revision", "rev-" + version).user("1000");
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }
}
