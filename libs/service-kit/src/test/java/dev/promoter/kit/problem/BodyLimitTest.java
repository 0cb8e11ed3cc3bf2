package dev.promoter.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A body over the limit is refused as problem+json from its declared length, before any of it is read. */
class BodyLimitTest {

    static final int LIMIT = 1024;
    static final AtomicInteger handled = new AtomicInteger();
    static Vertx vertx;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new BodyLimit(new MemorySize(BigInteger.valueOf(LIMIT))).register(router);
        router.post("/reports").handler(BodyHandler.create().setBodyLimit(LIMIT)).handler(context -> {
            handled.incrementAndGet();
            context.response().end("read " + context.body().length());
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsA413ProblemAnsweredWithoutWaitingForTheBody() throws IOException {
        int before = handled.get();
        // Only the head: the answer must come without a byte of the body, and the connection then closes.
        String answer = exchange("POST /reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 104857600\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(head(answer)).containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close");
        JsonNode problem = new ObjectMapper().readTree(body(answer));
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("title").asText()).isEqualTo("Content Too Large");
        assertThat(problem.path("detail").asText()).contains("104857600 bytes").contains("at most 1024 bytes")
                .contains("Nothing was read or changed");
        assertThat(handled.get()).as("the endpoint never ran").isEqualTo(before);
    }

    @Test
    void aBodyWithoutALengthThatGrowsOverTheLimitIsA413ProblemToo() throws IOException {
        int before = handled.get();
        String chunk = "x".repeat(LIMIT + 1);
        String answer = exchange("POST /reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                + "0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(head(answer)).containsIgnoringCase("content-type: application/problem+json");
        assertThat(new ObjectMapper().readTree(body(answer)).path("detail").asText()).contains("over 1024 bytes");
        assertThat(handled.get()).isEqualTo(before);
    }

    @Test
    void aBodyWithinTheLimitReachesTheEndpoint() throws IOException {
        String answer = exchange("POST /reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(body(answer)).isEqualTo("read 2");
    }

    @Test
    void aLengthThatIsNoNumberIsLeftToVertx() {
        assertThat(BodyLimit.declaredLength("12")).isEqualTo(12);
        assertThat(BodyLimit.declaredLength(" 7 ")).isEqualTo(7);
        assertThat(BodyLimit.declaredLength("lots")).isEqualTo(-1);
        assertThat(BodyLimit.declaredLength(null)).isEqualTo(-1);
    }

    /** Writes the request as it is and reads the answer until the server closes the connection. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String head(String answer) {
        return answer.substring(0, answer.indexOf("\r\n\r\n"));
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
}
