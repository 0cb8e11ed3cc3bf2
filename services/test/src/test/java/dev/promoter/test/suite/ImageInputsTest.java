package dev.promoter.test.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.oci.ImageInfo;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.oci.RegistryException;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Image-check inputs are read from the registry once per digest: counted at a proxy in front of the real registry,
 * which forwards every request and notes it.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ImageInputsTest {

    private PipelineFixture pipeline;
    private HttpServer proxy;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ImageInputs inputs;

    @BeforeEach
    void open() throws IOException {
        pipeline = PipelineFixture.open();
        String registry = pipeline.registryAddress();
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        proxy.createContext("/", exchange -> forward(exchange, registry));
        proxy.start();
        inputs = new ImageInputs(RegistryClient.forRegistry("127.0.0.1:" + proxy.getAddress().getPort(),
                RegistryCredentials.anonymous()), 100);
    }

    @AfterEach
    void close() {
        proxy.stop(0);
        pipeline.close();
    }

    @Test
    void aDigestReadOnceIsNotAskedOfTheRegistryAgain() {
        String digest = pipeline.image().file("/app/version.txt", UUID.randomUUID().toString()).user("1000")
                .push("shop/cached", "dev");

        ImageInfo first = inputs.inspect("shop/cached", digest);
        int firstReads = requests.size();
        ImageInfo again = inputs.inspect("shop/cached", digest);

        assertThat(firstReads).as("the first check reads the manifest and the config: %s", requests)
                .isGreaterThanOrEqualTo(2);
        assertThat(requests).as("the second check asked nothing").hasSize(firstReads);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aFailedReadIsNotKeptAndIsAskedAgain() {
        String missing = "sha256:" + "e".repeat(64);

        assertThatThrownBy(() -> inputs.inspect("shop/cached", missing)).isInstanceOf(RegistryException.class);
        int afterFirst = requests.size();
        assertThatThrownBy(() -> inputs.inspect("shop/cached", missing)).isInstanceOf(RegistryException.class);

        assertThat(requests.size()).as("asked again: %s", requests).isGreaterThan(afterFirst);
    }

    @Test
    void theSameDigestInAnotherRepositoryIsAskedOfTheRegistry() {
        String digest = pipeline.image().file("/app/version.txt", UUID.randomUUID().toString()).user("1000")
                .push("shop/cached", "dev");
        inputs.inspect("shop/cached", digest);
        int before = requests.size();

        assertThatThrownBy(() -> inputs.inspect("shop/elsewhere", digest)).isInstanceOf(RegistryException.class);
        assertThat(requests.size()).isGreaterThan(before);
    }

    private void forward(HttpExchange exchange, String registry) throws IOException {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + registry + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                        exchange.getRequestBody().readAllBytes()));
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                        && !name.equalsIgnoreCase("connection") && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            boolean head = exchange.getRequestMethod().equals("HEAD");
            byte[] body = answer.body();
            if (head) {
                answer.headers().firstValue("content-length")
                        .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
            }
            exchange.sendResponseHeaders(answer.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }
}
