package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The blocking transport against a raw loopback server: framing, keep-alive, stale sockets, limits, timeouts. */
class BlockingHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BlockingHttp http = new BlockingHttp(Duration.ofSeconds(5), TIMEOUT, null, System::nanoTime);

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static HttpRequest get(RawHttpServer server, String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(TIMEOUT).GET().build();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aContentLengthBodyIsReadAndTheSocketCarriesTheNextRequests() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(ok("answer to " + request.target())))) {
            HttpResponse<byte[]> first = send(get(server, "/v2/one"));
            HttpResponse<byte[]> second = send(get(server, "/v2/two"));
            HttpResponse<byte[]> third = send(get(server, "/v2/three?n=1"));

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(text(first)).isEqualTo("answer to /v2/one");
            assertThat(first.headers().firstValue("content-type")).contains("text/plain");
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(first.uri()).isEqualTo(URI.create(server.url() + "/v2/one"));
            assertThat(first.previousResponse()).isEmpty();
            assertThat(text(second)).isEqualTo("answer to /v2/two");
            assertThat(text(third)).isEqualTo("answer to /v2/three?n=1");
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.requests()).extracting(RawHttpServer.Seen::connection).containsExactly(1, 1, 1);
            assertThat(http.idleCount(server.route())).isEqualTo(1);
        }
    }

    @Test
    void aChunkedBodyIsDecodedWithExtensionsAndTrailersIgnored() throws Exception {
        byte[] big = new byte[40_000];
        Arrays.fill(big, (byte) 'x');
        try (RawHttpServer server = new RawHttpServer(request -> request.target().equals("/small")
                ? RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: ignored\r\n\r\n")
                : RawHttpServer.Answer.of(RawHttpServer.concat(("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                        + Integer.toHexString(big.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1), big,
                        "\r\n1\r\n!\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))) {
            HttpResponse<byte[]> small = send(get(server, "/small"));
            HttpResponse<byte[]> large = send(get(server, "/large"));

            assertThat(text(small)).isEqualTo("hello, world");
            assertThat(large.body()).hasSize(big.length + 1).endsWith((byte) 'x', (byte) '!');
            // The chunked framing ended exactly where the answer did, so the socket was reused.
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aBodyWithoutLengthRunsUntilTheServerClosesAndTheSocketIsNotReused() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end").thenClose())) {
            HttpResponse<byte[]> first = send(get(server, "/v2/"));

            assertThat(text(first)).isEqualTo("until the end");
            assertThat(http.idleCount(server.route())).isZero();
            send(get(server, "/v2/"));
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void headNoContentNotModifiedAndInterimAnswersHaveNoBody() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(switch (request.target()) {
            // A HEAD answer states the length a GET would get, and sends no body.
            case "/head" -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nDocker-Content-Digest: sha256:abc\r\n\r\n";
            case "/204" -> "HTTP/1.1 204 No Content\r\n\r\n";
            case "/304" -> "HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n";
            case "/interim" -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ok("final");
            default -> ok("last");
        }))) {
            HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/head"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> noContent = send(get(server, "/204"));
            HttpResponse<byte[]> notModified = send(get(server, "/304"));
            HttpResponse<byte[]> interim = send(get(server, "/interim"));
            HttpResponse<byte[]> last = send(get(server, "/last"));

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(100);
            assertThat(head.headers().firstValue("docker-content-digest")).contains("sha256:abc");
            assertThat(noContent.statusCode()).isEqualTo(204);
            assertThat(noContent.body()).isEmpty();
            assertThat(notModified.statusCode()).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
            assertThat(interim.statusCode()).isEqualTo(200);
            assertThat(text(interim)).isEqualTo("final");
            assertThat(interim.headers().firstValue("Link")).isEmpty();
            assertThat(text(last)).isEqualTo("last");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aPooledSocketTheServerClosedWhileIdleIsRetriedOnceOnAFreshOne() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> request.connection() == 1
                // Answers, then closes without saying so, as a server whose idle timeout ran out.
                ? RawHttpServer.Answer.of(ok("first")).thenClose()
                : RawHttpServer.Answer.of(ok("second")))) {
            assertThat(text(send(get(server, "/v2/a")))).isEqualTo("first");
            server.awaitClosedByServer(1);
            assertThat(http.idleCount(server.route())).isEqualTo(1);

            HttpResponse<byte[]> second = send(get(server, "/v2/b"));

            assertThat(text(second)).isEqualTo("second");
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.requests()).extracting(r -> r.connection() + " " + r.target())
                    .containsExactly("1 /v2/a", "2 /v2/b");
        }
    }

    @Test
    void aFreshSocketThatFailsIsReportedNotRetried() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(new byte[0]).thenClose())) {
            assertThatThrownBy(() -> send(get(server, "/v2/")))
                    .isInstanceOf(IOException.class).hasMessageContaining("closed the connection before answering");

            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void aStaleSocketIsRetriedOnlyOnce() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> request.connection() == 1
                ? RawHttpServer.Answer.of(ok("first")).thenClose()
                : RawHttpServer.Answer.of(new byte[0]).thenClose())) {
            send(get(server, "/v2/a"));
            server.awaitClosedByServer(1);

            assertThatThrownBy(() -> send(get(server, "/v2/b")))
                    .isInstanceOf(IOException.class).hasMessageContaining("closed the connection before answering");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none"))) {
            assertThat(text(send(get(server, "/v2/")))).isEqualTo("one");
            // The server keeps its end open; the client must close its own.
            server.awaitClosedByClient(1);
            assertThat(http.idleCount(server.route())).isZero();

            send(get(server, "/v2/"));
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void anHttp10AnswerWithoutKeepAliveIsNotReused() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold"))) {
            assertThat(text(send(get(server, "/v2/")))).isEqualTo("old");
            server.awaitClosedByClient(1);
        }
    }

    @Test
    void noAnswerWithinTheRequestTimeoutIsAnHttpTimeoutException() throws Exception {
        CountDownLatch testOver = new CountDownLatch(1);
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.hang(testOver))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/v2/")).timeout(Duration.ofMillis(300))
                    .GET().build();

            assertThatThrownBy(() -> send(request)).isInstanceOf(HttpTimeoutException.class)
                    .hasMessage("request timed out");
            assertThat(http.idleCount(server.route())).isZero();

            RegistryClient client = RegistryClient.builder(server.url().substring("http://".length()))
                    .requestTimeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> client.head("shop/cart", "prod"))
                    .isInstanceOf(RegistryException.class).hasMessageEndingWith(": timed out");
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void aBodyStalledMidwayTimesOutToo() throws Exception {
        CountDownLatch testOver = new CountDownLatch(1);
        try (RawHttpServer server = new RawHttpServer(request -> new RawHttpServer.Answer(
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1), true, testOver))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/v2/")).timeout(Duration.ofMillis(300))
                    .GET().build();

            assertThatThrownBy(() -> send(request)).isInstanceOf(HttpTimeoutException.class);
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void aBodyCutShortIsAnError() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").thenClose())) {
            assertThatThrownBy(() -> send(get(server, "/v2/")))
                    .isInstanceOf(IOException.class).hasMessageContaining("7 bytes before the body's end");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        String huge = "a".repeat(BlockingHttp.MAX_HEADER_BYTES);
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\nX-Huge: " + huge + "\r\nContent-Length: 0\r\n\r\n"))) {
            assertThatThrownBy(() -> send(get(server, "/v2/")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the answer's status line and headers exceed 65536 bytes; refusing it");
            server.awaitClosedByClient(1);
            assertThat(http.idleCount(server.route())).isZero();
        }
    }

    @Test
    void manyHeadersAddingUpBeyondTheCapAreRefused() throws Exception {
        String many = "X-Some: " + "b".repeat(1000) + "\r\n";
        try (RawHttpServer server = new RawHttpServer(request ->
                RawHttpServer.Answer.of("HTTP/1.1 200 OK\r\n" + many.repeat(70) + "Content-Length: 0\r\n\r\n"))) {
            assertThatThrownBy(() -> send(get(server, "/v2/")))
                    .isInstanceOf(IOException.class).hasMessageContaining("exceed 65536 bytes");
        }
    }

    @Test
    void theRequestBodyGoesWithItsContentLengthAndAnEmptyPutOrPostStatesZero() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(
                "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"))) {
            URI uri = URI.create(server.url() + "/v2/shop/cart/manifests/prod");
            http.send(HttpRequest.newBuilder(uri).header("Content-Type", Manifest.OCI_MANIFEST)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v2/shop/cart/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v2/shop/cart/blobs/uploads/u"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            http.send(get(server, "/v2/"), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(uri).DELETE().build(), HttpResponse.BodyHandlers.discarding());

            assertThat(server.requests()).extracting(r -> r.method() + " " + r.header("Content-Length"))
                    .containsExactly("PUT 7", "POST 0", "PUT 0", "GET null", "DELETE null");
            RawHttpServer.Seen put = server.requests().get(0);
            assertThat(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
            assertThat(put.target()).isEqualTo("/v2/shop/cart/manifests/prod");
            assertThat(put.header("Content-Type")).isEqualTo(Manifest.OCI_MANIFEST);
            assertThat(put.header("Host")).isEqualTo(server.url().substring("http://".length()));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void idleSocketsOlderThanTheIdleTimeoutAreClosedInsteadOfUsed() throws Exception {
        AtomicLong now = new AtomicLong(System.nanoTime());
        BlockingHttp clocked = new BlockingHttp(Duration.ofSeconds(5), TIMEOUT, null, now::get);
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(ok("fine")))) {
            clocked.send(get(server, "/v2/"), HttpResponse.BodyHandlers.ofByteArray());
            now.addAndGet(BlockingHttp.IDLE_TIMEOUT.toNanos() - TimeUnit.SECONDS.toNanos(1));
            clocked.send(get(server, "/v2/"), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(server.connections()).isEqualTo(1);

            now.addAndGet(BlockingHttp.IDLE_TIMEOUT.toNanos() + 1);
            clocked.send(get(server, "/v2/"), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(server.connections()).isEqualTo(2);
            server.awaitClosedByClient(1);
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnSocketAndThePoolKeepsAFew() throws Exception {
        int threads = 12;
        int rounds = 20;
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(ok(request.target())))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<String> bodies = new ArrayList<>();
                        for (int round = 0; round < rounds; round++) {
                            bodies.add(text(send(get(server, "/t" + thread + "/r" + round))));
                        }
                        return bodies;
                    }));
                }
                start.countDown();
                for (int t = 0; t < threads; t++) {
                    // Every caller read its own answers: no socket was shared by two callers at once.
                    List<String> expected = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        expected.add("/t" + t + "/r" + round);
                    }
                    assertThat(results.get(t).get(30, TimeUnit.SECONDS)).isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.requests()).hasSize(threads * rounds);
            // Sockets were reused (how often depends on scheduling: the pool keeps a few, not one per caller).
            assertThat(server.connections()).isLessThan(threads * rounds);
            assertThat(http.idleCount(server.route())).isBetween(1, BlockingHttp.MAX_IDLE_PER_ROUTE);
        }
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aRetagAndAHeadOverTheRegistryClientShareOneConnection() throws Exception {
        byte[] manifest = ManifestVerificationTest.MANIFEST;
        String digest = ManifestVerificationTest.MANIFEST_DIGEST;
        try (RawHttpServer server = new RawHttpServer(request -> switch (request.method()) {
            case "GET" -> RawHttpServer.Answer.of(RawHttpServer.concat(("HTTP/1.1 200 OK\r\nContent-Type: " + Manifest.OCI_MANIFEST
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

}
