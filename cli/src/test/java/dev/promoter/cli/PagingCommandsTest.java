package dev.promoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that read lists ask for the page given ({@code --limit}, {@code --before}) and end a page that has
 * older entries with the command that shows them, from a {@code nextBefore} field or a {@code Link} header. One
 * loopback HTTP server stands in for the four services, answering what the services answer.
 */
class PagingCommandsTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    record Answer(String body, String link) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            asked.add(uri);
            Answer answer = answers.get(uri);
            if (answer == null) {
                answer = answers.get(exchange.getRequestURI().getPath());
            }
            byte[] body = (answer == null ? "{\"title\":\"Not Found\",\"status\":404}" : answer.body())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer == null ? "application/problem+json"
                    : "application/json");
            if (answer != null && answer.link() != null) {
                exchange.getResponseHeaders().add("Link", answer.link());
            }
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String run(String... args) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Promoter.run(args, new Promoter.Environment(Map.of("PROMOTER_URL_BUILD", url, "PROMOTER_URL_TEST",
                        url, "PROMOTER_URL_PROMOTE", url, "PROMOTER_URL_ROLLBACK", url, "PROMOTER_TOKEN", "t"), dir, dir,
                        Clock.systemUTC()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    private static String move(int n, boolean current) {
        return "{\"id\":" + (100 + n) + ",\"digest\":\"" + digest(n) + "\",\"current\":" + current
                + ",\"rollbackTarget\":false,\"reason\":\"move " + n + "\",\"actor\":\"bench\","
                + "\"movedAt\":\"2026-03-01T10:00:0" + n + "Z\"}";
    }

    @Test
    void decisionsAskForThePageGivenAndFollowTheLinkHeader() {
        answers.put("/api/v1/applications/cart", new Answer("{\"application\":\"cart\",\"stages\":[]}", null));
        answers.put("/api/v1/applications/cart/decisions?limit=2", new Answer("""
                [{"id":9,"stage":"prod","digest":null,"decision":"pin","person":"ada","via":"api","comment":"one",
                  "decidedAt":"2026-03-01T10:00:00Z"},
                 {"id":8,"stage":"prod","digest":null,"decision":"unpin","person":"ada","via":"api","comment":"two",
                  "decidedAt":"2026-03-01T09:00:00Z"}]""",
                "</api/v1/applications/cart/decisions?limit=2&before=8>; rel=\"next\""));
        answers.put("/api/v1/applications/cart/decisions?limit=2&before=8", new Answer("""
                [{"id":7,"stage":"prod","digest":null,"decision":"pin","person":"bob","via":"api","comment":"three",
                  "decidedAt":"2026-03-01T08:00:00Z"}]""", null));

        String first = run("decisions", "cart", "--limit", "2");
        assertThat(first).contains("one").contains("two").doesNotContain("three")
                .contains("older: promoter decisions cart --limit 2 --before 8");

        String last = run("decisions", "cart", "--limit", "2", "--before", "8");
        assertThat(last).contains("three").doesNotContain("older:");
        assertThat(asked).contains("/api/v1/applications/cart/decisions?limit=2&before=8");
    }

    @Test
    void historyPagesPromotesMovesWithTheRollbackServicesHealthOfTheSamePage() {
        answers.put("/api/v1/applications/cart", new Answer("""
                {"application":"cart","repository":"r/cart","stages":[{"name":"prod","current":"%s","quarantined":[],
                 "history":[],"pending":[]}]}""".formatted(digest(5)), null));
        answers.put("/api/v1/applications/cart/stages/prod/history?limit=2", new Answer("""
                {"stage":"prod","current":"%s","deployments":[%s,%s],"nextBefore":104}"""
                .formatted(digest(5), move(5, true), move(4, false)), null));
        answers.put("/api/v1/applications/cart/stages/prod/history?limit=2&before=104", new Answer("""
                {"stage":"prod","current":"%s","deployments":[%s,%s],"nextBefore":102}"""
                .formatted(digest(5), move(3, false), move(2, false)), null));
        answers.put("/api/v1/applications/cart/stages/prod/history?limit=2&before=904", new Answer("""
                {"stage":"prod","current":"%s","health":"healthy","deployments":[
                 {"id":903,"digest":"%s","healthy":true,"healthyAt":"2026-03-01T10:00:03Z"},
                 {"id":902,"digest":"%s","healthy":false}],"nextBefore":902}"""
                .formatted(digest(5), digest(3), digest(2)), null));
        answers.put("/api/v1/applications/cart/stages/prod/history", new Answer("""
                {"stage":"prod","current":"%s","health":"healthy","deployments":[],"nextBefore":904}"""
                .formatted(digest(5)), null));

        String first = run("history", "cart", "prod", "--limit", "2");
        assertThat(first).contains("move 5").contains("move 4").doesNotContain("move 3")
                .contains("older moves: promoter history cart prod --limit 2 --before 104");

        String older = run("history", "cart", "prod", "--limit", "2", "--before", "104", "--health-before", "904");
        assertThat(older).contains("move 3").contains("move 2").contains("healthy at")
                .contains("older moves: promoter history cart prod --limit 2 --before 102 --health-before 902");
        assertThat(asked).contains("/api/v1/applications/cart/stages/prod/history?limit=2&before=104",
                "/api/v1/applications/cart/stages/prod/history?limit=2&before=904");
    }

    @Test
    void theNextPageOfALinkHeaderIsItsBeforeParameter() {
        assertThat(Api.nextBefore("</api/v1/applications/cart/decisions?limit=50&before=1234>; rel=\"next\""))
                .isEqualTo(1234L);
        assertThat(Api.nextBefore("</x?before=5&limit=2>; rel=next")).isEqualTo(5L);
        assertThat(Api.nextBefore("</x?before=5>; rel=\"prev\"")).isNull();
    }
}
