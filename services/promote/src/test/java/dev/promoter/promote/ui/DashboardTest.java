package dev.promoter.promote.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.promote.slack.SlackResource;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages, sign-in and forms over HTTP against the real broker, database and registry (the browser
 * story in tests/e2e drives the same pages in Chromium).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(SlackResource.class)
class DashboardTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/ui/events")
    URI events;

    private PipelineFixture pipeline;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void theValueStreamShowsWhatEachStageRunsAndAViewerGetsNoButtons() {
        String app = "ui-stream";
        define(app);
        Digest v1 = publish(app, "v1");
        await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
        // Reads are closed: nobody signed in is sent to the sign-in page.
        given().redirects().follow(false).get("/ui").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("/ui/sign-in"));
        await().atMost(WAIT).until(() -> page("/ui", "viewer-token"),
                html -> html.contains("data-digest=\"" + v1.value() + "\""));

        String stream = page("/ui", "viewer-token");
        assertThat(stream).contains(v1.shortForm()).contains("1.0.0").contains("commit <code>0123456789ab</code>")
                .doesNotContain("Stop the line");
        assertThat(page("/ui?fragment=true", "viewer-token")).doesNotContain("<html").contains("section class=\"app\"");

        String asViewer = page("/ui/applications/" + app, signIn("viewer-token"));
        assertThat(asViewer).contains("Signed in as <strong>viewer</strong> (viewer)").contains("Deployments")
                .doesNotContain("Stop the line").doesNotContain("Pin prod");
        assertThat(asViewer.split("<button").length - 1).as("only sign-out").isEqualTo(1);
        // One move into prod, no commit time reported, nothing rolled back: the page's DORA figures say so.
        assertThat(asViewer).contains("DORA figures of prod, last 30 days")
                .contains("data-figure=\"deployment-frequency\">1 deployment in 30 days (0.03 a day)")
                .contains("data-figure=\"change-failure-rate\">0 % (0 of 1 rolled back")
                .contains("data-figure=\"time-to-restore\">nothing to restore in the window");
        String asAdmin = page("/ui/applications/" + app, signIn("test-token"));
        assertThat(asAdmin).contains("Stop the line").contains("Pin prod");
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void anApplicationPageShowsABoundedPageOfEachHistoryAndAnOlderLinkToTheRest() {
        // 25 moves into prod: the page shows the newest 20 and links the older ones.
        String app = dev.promoter.promote.view.ListPagingTest.seed(pool, pipeline.registryAddress(), 25,
                java.util.Set.of(), java.util.Set.of());
        String newest = page("/ui/applications/" + app, "viewer-token");
        assertThat(newest).contains(">move 25<").contains(">move 6<").doesNotContain(">move 5<")
                .doesNotContain("class=\"newest\"");
        java.util.regex.Matcher older = java.util.regex.Pattern
                .compile("<a class=\"older\" rel=\"next\" href=\"([^\"]+)\">older</a>").matcher(newest);
        assertThat(older.find()).as("an older link").isTrue();
        String href = older.group(1).replace("&amp;", "&");
        assertThat(href).startsWith("/ui/applications/" + app + "?stage=prod&before=");

        String oldest = page(href, "viewer-token");
        assertThat(oldest).contains(">move 5<").contains(">move 1<").doesNotContain(">move 6<")
                .doesNotContain("class=\"older\"").contains("<a class=\"newest\" href=\"/ui/applications/" + app + "\">newest</a>")
                // The live updates of this page read the same page of history.
                .contains("data-fragment=\"/ui/applications/" + app + "?fragment=true&amp;stage=prod&amp;before=");
        given().cookie(SignIn.COOKIE, "viewer-token").get("/ui/applications/" + app + "?stage=prod&before=soon").then()
                .statusCode(400);
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookieAndAFormWithoutItsCsrfTokenChangesNothing() {
        Response signedIn = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", "ops-token").post("/ui/sign-in");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.getHeader("Set-Cookie");
        assertThat(cookie).startsWith(SignIn.COOKIE + "=ops-token").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/ui");
        assertThat(given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", "wrong").post("/ui/sign-in").getHeader("Location")).contains("/ui/sign-in?notice=");

        String app = "ui-csrf";
        define(app);
        Response forged = given().redirects().follow(false).cookie(SignIn.COOKIE, "ops-token")
                .contentType("application/x-www-form-urlencoded").formParam("application", app)
                .formParam("reason", "forged").formParam("csrf", "0".repeat(64)).post("/ui/stop-the-line");
        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(forged.getHeader("Location")).contains("out+of+date");
        given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app).then().body("stoppedLine", is((Object) null));

        String page = page("/ui/applications/" + app, "ops-token");
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([0-9a-f]{64})\".*", "$1");
        Response stopped = given().redirects().follow(false).cookie(SignIn.COOKIE, "ops-token")
                .contentType("application/x-www-form-urlencoded").formParam("application", app)
                .formParam("reason", "from the page").formParam("csrf", csrf).post("/ui/stop-the-line");
        assertThat(stopped.getHeader("Location")).contains("/ui/applications/" + app + "?notice=the+line+of+" + app);
        given().auth().oauth2("viewer-token").get("/api/v1/applications/" + app).then().body("stoppedLine.reason", is("from the page"))
                .body("stoppedLine.via", is("dashboard"));
        assertThat(page("/ui/applications/" + app, "ops-token")).contains("Resume the line");
        assertThat(page("/ui", "viewer-token")).contains("Line stopped: the line of " + app + " is stopped by api:ops-cli");
    }

    @Test
    void anOpenPageHearsWhichApplicationChanged() throws Exception {
        String app = "ui-live";
        define(app);
        List<String> heard = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        var stream = client.sendAsync(HttpRequest.newBuilder(events).header("Accept", "text/event-stream")
                .header("Cookie", SignIn.COOKIE + "=viewer-token").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.join().body(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    heard.add(line);
                }
            } catch (Exception e) {
                // the stream ends with the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(WAIT).until(stream::isDone);

        publish(app, "v1");
        await().atMost(WAIT).until(() -> heard.contains("data:" + app));
        reader.interrupt();
    }

    @Test
    void theLiveStreamNeedsTheViewerRoleLikeEveryRead() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(events)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymous.body()).contains("viewer");

        HttpResponse<String> unknownCookie = client.send(HttpRequest.newBuilder(events)
                .header("Accept", "text/event-stream").header("Cookie", SignIn.COOKIE + "=no-such-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownCookie.statusCode()).isEqualTo(401);

        HttpResponse<String> withoutRole = client.send(HttpRequest.newBuilder(events)
                .header("Accept", "text/event-stream").header("Authorization", "Bearer powerless-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withoutRole.statusCode()).isEqualTo(403);
        assertThat(withoutRole.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        // A bearer header opens it as it opens every read (a script, a CLI); only the status line is awaited.
        HttpResponse<java.io.InputStream> bearer = client.send(HttpRequest.newBuilder(events)
                .header("Accept", "text/event-stream").header("Authorization", "Bearer viewer-token").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(bearer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        bearer.body().close();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    String signIn(String token) {
        return token;
    }

    static String page(String path, String session) {
        var request = given();
        if (session != null) {
            request = request.cookie(SignIn.COOKIE, session);
        }
        return request.get(path).then().statusCode(200).contentType("text/html").extract().asString();
    }

    void define(String app) {
        String yaml = """
                application: %s
                repository: %s/shop/%s
                stages:
                  - name: dev
                  - name: prod
                """.formatted(app, pipeline.registryAddress(), app);
        given().contentType("application/yaml").header("Authorization", "Bearer test-token").body(yaml.getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
    }

    Digest publish(String app, String version) {
        Digest digest = Digest.parse(pipeline.image().file("/app/version.txt", version + "-" + app)
                .label("org.opencontainers.image.version", "1.0.0")
                .label("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .user("1000").push("shop/" + app, version));
        pipeline.writer().publish(new ArtifactPublished(app, pipeline.registryAddress() + "/shop/" + app, digest,
                "0123456789abcdef0123456789abcdef01234567", "http://ci.local/job/" + version, "ada"));
        return digest;
    }
}
