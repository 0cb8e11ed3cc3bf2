package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The registry client's transport (Apache HttpClient 5) against a raw loopback server: keep-alive, a pooled
 * connection the server closed, limits, timeouts, and a retag plus a HEAD on one connection.
 */
class RegistryHttpTest {

    private static final long LIMIT = 1024 * 1024;

    private final RegistryHttp http = new RegistryHttp(Duration.ofSeconds(5), Duration.ofSeconds(30), null);

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private RegistryHttp.Response get(RawHttpServer server, String path, long limit) throws IOException {
        return http.send("GET", URI.create(server.url() + path), Map.of(), null, limit, 10);
    }

    private static String text(RegistryHttp.Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aBodyIsReadAndTheConnectionCarriesTheNextRequests() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(ok("answer to " + request.target())))) {
            RegistryHttp.Response first = get(server, "/v2/one", LIMIT);
            RegistryHttp.Response second = get(server, "/v2/two?n=1", LIMIT);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(text(first)).isEqualTo("answer to /v2/one");
            assertThat(first.headers().firstValue("content-type")).contains("text/plain");
            assertThat(text(second)).isEqualTo("answer to /v2/two?n=1");
            assertThat(server.requests()).extracting(RawHttpServer.Seen::connection).containsExactly(1, 1);
        }
    }

    @Test
    void aChunkedBodyIsDecoded() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))) {
            assertThat(text(get(server, "/v2/", LIMIT))).isEqualTo("abcde");
            assertThat(text(get(server, "/v2/", LIMIT))).isEqualTo("abcde");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aPooledConnectionTheServerClosedWhileIdleIsReplacedByAFreshOne() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> request.connection() == 1
                // Answers, then closes without saying so, as a server whose idle timeout ran out.
                ? RawHttpServer.Answer.of(ok("first")).thenClose()
                : RawHttpServer.Answer.of(ok("second")))) {
            assertThat(text(get(server, "/v2/a", LIMIT))).isEqualTo("first");
            server.awaitClosedByServer(1);

            assertThat(text(get(server, "/v2/b", LIMIT))).isEqualTo("second");
            assertThat(server.requests()).extracting(r -> r.connection() + " " + r.target())
                    .containsExactly("1 /v2/a", "2 /v2/b");
        }
    }

    @Test
    void afterARestartEveryDeadPooledConnectionIsDroppedAndTheRequestGoesOutOnAFreshOne() throws Exception {
        CountDownLatch bothOpen = new CountDownLatch(2);
        try (RawHttpServer server = new RawHttpServer(request -> {
            if (request.connection() > 2) {
                return RawHttpServer.Answer.of(ok("after the restart"));
            }
            // Two requests at once fill the pool with two connections; then the server goes away, closing both.
            bothOpen.countDown();
            bothOpen.await();
            return RawHttpServer.Answer.of(ok("before")).thenClose();
        })) {
            CompletableFuture<RegistryHttp.Response> one = CompletableFuture.supplyAsync(() -> getUnchecked(server, "/v2/1"));
            CompletableFuture<RegistryHttp.Response> two = CompletableFuture.supplyAsync(() -> getUnchecked(server, "/v2/2"));
            assertThat(text(one.get())).isEqualTo("before");
            assertThat(text(two.get())).isEqualTo("before");
            server.awaitClosedByServer(1);
            server.awaitClosedByServer(2);

            assertThat(text(get(server, "/v2/3", LIMIT))).isEqualTo("after the restart");
            assertThat(server.requests()).extracting(RawHttpServer.Seen::target).endsWith("/v2/3");
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    private RegistryHttp.Response getUnchecked(RawHttpServer server, String path) {
        try {
            return get(server, path, LIMIT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBodyOverTheLimitIsNotReadToTheEndAndItsConnectionIsClosed() throws Exception {
        byte[] chunk = new byte[100_000];
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(concat(
                ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length) + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1), chunk, "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))) {
            assertThatThrownBy(() -> get(server, "/v2/", 10)).isInstanceOf(RegistryHttp.TooLargeException.class);

            server.awaitClosedByClient(1);
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReadingAndItsConnectionIsClosed() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(ok("x".repeat(1000))))) {
            assertThatThrownBy(() -> get(server, "/v2/", 10)).isInstanceOf(RegistryHttp.TooLargeException.class);

            server.awaitClosedByClient(1);
        }
    }

    @Test
    void aTruncatedErrorBodyKeepsItsHeadAndClosesTheConnection() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.1 500 Oops\r\nContent-Length: 20\r\n\r\n0123456789abcdefghij"))) {
            RegistryHttp.Response response = get(server, "/v2/", LIMIT);

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(text(response)).isEqualTo("0123456789");
            server.awaitClosedByClient(1);
        }
    }

    @Test
    void theRequestBodyGoesWithItsLengthAndAnEmptyPostStatesZero() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(
                "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"))) {
            http.send("PUT", URI.create(server.url() + "/v2/a"), Map.of("Content-Type", "application/json"),
                    "{}".getBytes(StandardCharsets.UTF_8), LIMIT, 10);
            http.send("POST", URI.create(server.url() + "/v2/b"), Map.of(), new byte[0], LIMIT, 10);

            assertThat(server.requests()).extracting(r -> r.method() + " " + r.header("Content-Length"))
                    .containsExactly("PUT 2", "POST 0");
            assertThat(server.requests().get(0).body()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
            assertThat(server.requests().get(0).header("Content-Type")).isEqualTo("application/json");
            assertThat(server.requests().get(0).header("Host")).isEqualTo(server.url().substring("http://".length()));
        }
    }

    @Test
    void noAnswerWithinTheRequestTimeoutTimesOut() throws Exception {
        CountDownLatch testOver = new CountDownLatch(1);
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.hang(testOver))) {
            RegistryClient client = RegistryClient.builder(server.url().substring("http://".length()))
                    .requestTimeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> client.head("shop/cart", "prod"))
                    .isInstanceOf(RegistryException.class).hasMessageEndingWith(": timed out");
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:" + port + "/v2/"), Map.of(), null,
                LIMIT, 10)).isInstanceOf(ConnectException.class);
    }

    @Test
    void aRetagAndAHeadOverTheRegistryClientShareOneConnection() throws Exception {
        byte[] manifest = ManifestVerificationTest.MANIFEST;
        String digest = ManifestVerificationTest.MANIFEST_DIGEST;
        try (RawHttpServer server = new RawHttpServer(request -> switch (request.method()) {
            case "GET" -> RawHttpServer.Answer.of(concat(("HTTP/1.1 200 OK\r\nContent-Type: " + Manifest.OCI_MANIFEST
                    + "\r\nDocker-Content-Digest: " + digest + "\r\nContent-Length: " + manifest.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), manifest));
            case "PUT" -> RawHttpServer.Answer.of("HTTP/1.1 201 Created\r\nDocker-Content-Digest: " + digest
                    + "\r\nContent-Length: 0\r\n\r\n");
            default -> RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\nContent-Type: " + Manifest.OCI_MANIFEST
                    + "\r\nDocker-Content-Digest: " + digest + "\r\nContent-Length: " + manifest.length + "\r\n\r\n");
        })) {
            RegistryClient client = RegistryClient.forRegistry(server.url().substring("http://".length()),
                    RegistryCredentials.anonymous());

            client.retag("shop/cart", digest, "prod");
            assertThat(client.head("shop/cart", "prod")).map(ManifestRef::digest).contains(digest);

            assertThat(server.requests()).extracting(r -> r.connection() + " " + r.method())
                    .containsExactly("1 GET", "1 PUT", "1 HEAD");
            assertThat(server.requests().get(1).body()).isEqualTo(manifest);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int size = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[size];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
