package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The registry client's transport as the client uses it, against a raw loopback server: the limits it sets by
 * status, and every dead pooled connection dropped after a registry restart (FaultControlsIT's
 * case). The socket-level behaviour (framing, keep-alive, timeouts) is {@link BlockingHttpTest}'s.
 */
class RegistryHttpTest {

    private static final long LIMIT = 1024 * 1024;

    private final RegistryHttp http = new RegistryHttp(Duration.ofSeconds(5), Duration.ofSeconds(30), null, System::nanoTime);

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private RegistryHttp.Response get(RawHttpServer server, String path, long limit) throws Exception {
        return http.send("GET", URI.create(server.url() + path), Map.of(), null, limit, 10);
    }

    private static String text(RegistryHttp.Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
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
            assertThat(text(get(server, "/v2/4", LIMIT))).isEqualTo("after the restart");
            // The third request found a dead connection and went out on a fresh one; the fourth took that fresh
            // one instead of the other dead one, which was dropped with the first.
            assertThat(server.requests()).extracting(r -> r.connection() + " " + r.target())
                    .endsWith("3 /v2/3", "3 /v2/4");
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    private RegistryHttp.Response getUnchecked(RawHttpServer server, String path) {
        try {
            return get(server, path, LIMIT);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBodyOverTheLimitIsNotReadToTheEndAndItsConnectionIsClosed() throws Exception {
        byte[] chunk = new byte[100_000];
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(RawHttpServer.concat(
                ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length) + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1), chunk, "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))) {
            assertThatThrownBy(() -> get(server, "/v2/", 10)).hasCauseInstanceOf(LimitedBody.TooLargeException.class);

            server.awaitClosedByClient(1);
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReadingAndItsConnectionIsClosed() throws Exception {
        try (RawHttpServer server = new RawHttpServer(request -> RawHttpServer.Answer.of(ok("x".repeat(1000))))) {
            assertThatThrownBy(() -> get(server, "/v2/", 10)).hasCauseInstanceOf(LimitedBody.TooLargeException.class);

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
}
