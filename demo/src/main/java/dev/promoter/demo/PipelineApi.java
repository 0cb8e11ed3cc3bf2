package dev.promoter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The public HTTP interface of the four services as an operator or a build job uses it: define an
 * application's pipeline, report a build, read an application's stages and a stage's health history. Tokens
 * go into the Authorization header only; no message of this class ever contains one.
 */
public final class PipelineApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Where the services listen, e.g. {@code http://127.0.0.1:8081}. */
    public record Endpoints(URI build, URI test, URI promote, URI rollback) {

        /** The local stack's default ports 8081-8084. */
        public static Endpoints local() {
            return onPorts(8081, 8082, 8083, 8084);
        }

        public static Endpoints onPorts(int build, int test, int promote, int rollback) {
            return new Endpoints(loopback(build), loopback(test), loopback(promote), loopback(rollback));
        }

        private static URI loopback(int port) {
            return URI.create("http://127.0.0.1:" + port);
        }
    }

    /**
     * The bearer token of one caller for each service, whose roles cover what the caller does (the local stack's
     * {@code local} and the harness' {@code e2e} are admins). Never printed.
     */
    public record Tokens(String build, String test, String promote, String rollback) {
        @Override
        public String toString() {
            return "Tokens[not shown]";
        }
    }

    /** A call the service refused or failed: its status and its problem detail (never a token). */
    public static final class CallFailed extends RuntimeException {
        private final int status;

        CallFailed(String call, int status, String body) {
            super(call + " answered " + status + (body.isBlank() ? "" : ": " + abbreviate(body)));
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Endpoints endpoints;
    private final Tokens tokens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public PipelineApi(Endpoints endpoints, Tokens tokens) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** True when the service at {@code base} answers its readiness check with 200. */
    public boolean ready(URI base) {
        try {
            return send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(3)).GET())
                    .statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** {@code PUT /api/v1/applications/{application}/pipeline} with the definition's YAML. */
    public void definePipeline(String application, String yaml) {
        String call = "PUT /api/v1/applications/" + application + "/pipeline";
        HttpResponse<String> response = send(HttpRequest.newBuilder(endpoints.promote().resolve(
                        "/api/v1/applications/" + encode(application) + "/pipeline"))
                .header("Authorization", "Bearer " + tokens.promote())
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml)));
        expect2xx(call, response);
    }

    /**
     * {@code POST /api/v1/builds}: reports an image the build pushed; returns the receipt (eventId, duplicate).
     */
    public JsonNode reportBuild(String application, String repository, String digest, String commit, String author) {
        ObjectNode report = JSON.createObjectNode()
                .put("application", application)
                .put("repository", repository)
                .put("digest", digest)
                .put("commit", commit)
                .put("author", author);
        HttpResponse<String> response = send(HttpRequest.newBuilder(endpoints.build().resolve("/api/v1/builds"))
                .header("Authorization", "Bearer " + tokens.build())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report.toString())));
        expect2xx("POST /api/v1/builds", response);
        return parse(response.body());
    }

    /**
     * {@code POST /api/v1/applications/{application}/stages/{stage}/approvals}: approves (or rejects) the digest
     * waiting to enter the stage, as the API principal the promote token names; returns where the request stands.
     */
    public JsonNode decide(String application, String stage, String digest, boolean approve, String comment) {
        ObjectNode decision = JSON.createObjectNode()
                .put("digest", digest)
                .put("decision", approve ? "approve" : "reject")
                .put("comment", comment);
        String path = "/api/v1/applications/" + encode(application) + "/stages/" + encode(stage) + "/approvals";
        HttpResponse<String> response = send(HttpRequest.newBuilder(endpoints.promote().resolve(path))
                .header("Authorization", "Bearer " + tokens.promote())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(decision.toString())));
        expect2xx("POST " + path, response);
        return parse(response.body());
    }

    /** Why {@code digest} waits to enter the stage in promote's application view, or null when it does not wait. */
    public static String blockedBecause(JsonNode application, String stage, String digest) {
        for (JsonNode pending : stage(application, stage).path("pending")) {
            if (digest.equals(pending.path("digest").asText())) {
                return pending.path("blockedBecause").asText();
            }
        }
        return null;
    }

    /** Every application promote has a pipeline definition of: name, repository and stages of each. */
    public JsonNode applications() {
        return getJson(endpoints.promote(), "/api/v1/applications");
    }

    /** Promote's view of the application (each stage's current digest, rollback target, quarantine, history); null when unknown. */
    public JsonNode application(String application) {
        return getJson(endpoints.promote(), "/api/v1/applications/" + encode(application));
    }

    /**
     * Every move of a stage in promote's history, newest first: the pages of {@code GET .../stages/{stage}/history}
     * (500 a page, the most a page holds) read one after the other; empty when the stage never ran anything.
     */
    public ArrayNode promotedHistory(String application, String stage) {
        ArrayNode moves = JSON.createArrayNode();
        String before = "";
        while (true) {
            JsonNode page = getJson(endpoints.promote(), "/api/v1/applications/" + encode(application) + "/stages/"
                    + encode(stage) + "/history?limit=500" + before);
            if (page == null) {
                return moves;
            }
            page.path("deployments").forEach(moves::add);
            if (!page.hasNonNull("nextBefore")) {
                return moves;
            }
            before = "&before=" + page.path("nextBefore").asLong();
        }
    }

    /** The rollback service's health history of one stage; null when it knows nothing of the stage. */
    public JsonNode rollbackHistory(String application, String stage) {
        return getJson(endpoints.rollback(), "/api/v1/applications/" + encode(application) + "/stages/"
                + encode(stage) + "/history");
    }

    /** One stage of promote's application view, or a missing node. */
    public static JsonNode stage(JsonNode application, String stage) {
        if (application != null) {
            for (JsonNode node : application.path("stages")) {
                if (stage.equals(node.path("name").asText())) {
                    return node;
                }
            }
        }
        return MissingNode.getInstance();
    }

    /**
     * True when the rollback service's history of a stage records the digest as healthy there: it passed the
     * stage's success threshold after the grace period.
     */
    public static boolean healthyIn(JsonNode history, String digest) {
        if (history != null) {
            for (JsonNode deployment : history.path("deployments")) {
                if (digest.equals(deployment.path("digest").asText()) && deployment.path("healthy").asBoolean()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code GET path} of the service at {@code base}, with the caller's token for that service. */
    public HttpResponse<String> get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().header("Accept", "application/json")
                .header("Authorization", "Bearer " + tokenFor(base)));
    }

    private String tokenFor(URI base) {
        if (base.equals(endpoints.build())) {
            return tokens.build();
        } else if (base.equals(endpoints.test())) {
            return tokens.test();
        } else if (base.equals(endpoints.promote())) {
            return tokens.promote();
        } else if (base.equals(endpoints.rollback())) {
            return tokens.rollback();
        }
        throw new IllegalArgumentException(base + " is none of the four services");
    }

    private JsonNode getJson(URI base, String path) {
        HttpResponse<String> response = get(base, path);
        if (response.statusCode() == 404) {
            return null;
        }
        expect2xx("GET " + path, response);
        return parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect2xx(String call, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new CallFailed(call, response.statusCode(), response.body());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + abbreviate(body), e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 400 ? oneLine.substring(0, 400) + "…" : oneLine;
    }
}
