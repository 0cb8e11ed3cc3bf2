package dev.promoter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.demo.PipelineApi;
import dev.promoter.harness.LocalPipeline;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build intake as a user meets it: GitHub says a branch was pushed, the build service asks the application's
 * Jenkins job to build it, the job pushes the image and reports it, and promote carries it to the first stage —
 * the four services as separate processes, Jenkins and GitHub played by the test on loopback.
 */
class BuildIntakeStoriesIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String JOB = "e2e-intake";

    static LocalPipeline pipeline;
    static PipelineApi api;
    static HttpServer jenkins;
    static final List<String> jenkinsRefusals = new CopyOnWriteArrayList<>();
    static final List<Map<String, String>> jenkinsBuilds = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        pipeline = SharedStack.pipeline();
        api = pipeline.api();
        jenkins = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jenkins.createContext("/", BuildIntakeStoriesIT::jenkins);
        jenkins.start();
    }

    @AfterAll
    static void stop() {
        if (jenkins != null) {
            jenkins.stop(0);
        }
    }

    @Test
    void aPushWebhookIsBuiltByJenkinsAndReachesTheFirstStage() throws Exception {
        String app = "intake";
        String repository = "e2e/intake";
        api.definePipeline(app, """
                application: %s
                repository: %s/%s
                stages: [{name: dev}, {name: test}, {name: stage}, {name: prod}]
                source:
                  github: acme/intake
                  branches: [main]
                  builder:
                    jenkins: {url: "http://127.0.0.1:%d/", job: %s, credentials: %s}
                """.formatted(app, pipeline.registryAddress(), repository, jenkins.getAddress().getPort(), JOB,
                LocalPipeline.CALLER));
        // The definition travels promote → pipeline.definitions.v1 → build.
        await("the build service knows " + app + " (log: " + pipeline.log("build") + ")").atMost(WAIT)
                .until(() -> api.get(api.endpoints().build(), "/api/v1/applications/" + app + "/builds").statusCode() == 200);
        String commit = "c0ffee" + "0".repeat(28) + "123456";

        HttpResponse<String> delivered = pushWebhook("acme/intake", "main", commit);

        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
        await("dev tag of " + repository + " (logs: " + pipeline.log("build") + ", " + pipeline.log("promote") + ")")
                .atMost(WAIT).until(() -> tag(repository, "dev").isPresent());
        assertThat(jenkinsRefusals).isEmpty();
        assertThat(jenkinsBuilds).containsExactly(Map.of("APPLICATION", app, "COMMIT", commit, "BRANCH", "main",
                "REPOSITORY", pipeline.registryAddress() + "/" + repository));
        String digest = tag(repository, "dev").orElseThrow();
        assertThat(tag(repository, "built-" + commit.substring(0, 12))).contains(digest);
    }

    /**
     * Bad input refused before it is read: a request whose declared body is over a service's limit (a GiB here, over
     * every service's) is answered 413 problem+json by each of the four services from its head alone, and the
     * connection is closed rather than read to the end.
     */
    @Test
    void everyServiceRefusesABodyOverItsLimitAsAProblemWithoutReadingIt() throws IOException {
        PipelineApi.Endpoints at = api.endpoints();
        Map<String, String> writes = new LinkedHashMap<>();
        writes.put("build", "POST " + at.build().resolve("/api/v1/builds"));
        writes.put("test", "POST " + at.test().resolve("/api/v1/test-results?application=a&digest=d&stage=s&suite=x"));
        writes.put("promote", "PUT " + at.promote().resolve("/api/v1/applications/oversized/pipeline"));
        writes.put("rollback", "POST " + at.rollback().resolve("/api/v1/applications/oversized/stages/prod/rollback"));
        for (Map.Entry<String, String> write : writes.entrySet()) {
            String method = write.getValue().substring(0, write.getValue().indexOf(' '));
            URI uri = URI.create(write.getValue().substring(method.length() + 1));
            try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write((method + " " + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
                        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                        + "Authorization: Bearer " + pipeline.apiToken(write.getKey()) + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                // Read to the end: the service answers and closes without waiting for the body it was promised.
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
                assertThat(answer).as("%s %s", write.getKey(), answer).startsWith("HTTP/1.1 413 ");
                assertThat(head).as(write.getKey()).contains("content-type: application/problem+json");
                assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).as(write.getKey())
                        .contains("\"status\":413").contains("1073741824 bytes");
            }
        }
    }

    private static HttpResponse<String> pushWebhook(String repository, String branch, String commit)
            throws IOException, InterruptedException, java.security.GeneralSecurityException {
        byte[] body = ("{\"ref\":\"refs/heads/" + branch + "\",\"before\":\"" + "0".repeat(40) + "\",\"after\":\""
                + commit + "\",\"created\":false,\"deleted\":false,\"forced\":false,\"base_ref\":null,"
                + "\"compare\":\"https://github.com/" + repository + "/compare/x\",\"commits\":[],\"head_commit\":null,"
                + "\"repository\":{\"id\":1,\"name\":\"intake\",\"full_name\":\"" + repository + "\"},"
                + "\"pusher\":{\"name\":\"ada\",\"email\":\"ada@example.com\"},\"sender\":{\"login\":\"ada\"}}")
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(pipeline.githubWebhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return http.send(HttpRequest.newBuilder(api.endpoints().build().resolve("/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Jenkins as the build service meets it: basic auth with the API token, the job, its parameters; 201. */
    private static void jenkins(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expectedAuth = "Basic " + Base64.getEncoder().encodeToString((LocalPipeline.JENKINS_USER + ":"
                    + pipeline.jenkinsApiToken()).getBytes(StandardCharsets.UTF_8));
            String path = exchange.getRequestURI().getPath();
            if (!expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refuse(exchange, 401, "bad credentials on " + path);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !path.equals("/job/" + JOB + "/buildWithParameters")) {
                refuse(exchange, 404, exchange.getRequestMethod() + " " + path);
                return;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            jenkinsBuilds.add(parameters);
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + jenkins.getAddress().getPort()
                    + "/queue/item/" + jenkinsBuilds.size() + "/");
            exchange.sendResponseHeaders(201, -1);
            new Thread(() -> runJob(parameters), "jenkins-job").start();
        }
    }

    /** What the job does: build and push the image, then report it, as the promoterBuild step does. */
    private static void runJob(Map<String, String> parameters) {
        String repositoryPath = parameters.get("REPOSITORY").substring(pipeline.registryAddress().length() + 1);
        String commit = parameters.get("COMMIT");
        String digest = new ImageBuilder(pipeline.registry()).file("/app/version.txt", commit + "\n")
                .label("org.opencontainers.image.revision", commit).user("1000")
                .push(repositoryPath, "built-" + commit.substring(0, 12));
        api.reportBuild(parameters.get("APPLICATION"), parameters.get("REPOSITORY"), digest, commit, "jenkins");
    }

    private static void refuse(HttpExchange exchange, int status, String why) throws IOException {
        jenkinsRefusals.add(status + " " + why);
        exchange.sendResponseHeaders(status, -1);
    }

    private static Optional<String> tag(String repository, String tag) {
        return pipeline.registry().head(repository, tag).map(ManifestRef::digest);
    }
}
