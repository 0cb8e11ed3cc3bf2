package dev.promoter.promote.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.promote.config.PromoteConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A manual rollback asked for on the dashboard, forwarded to the rollback service's API
 * ({@code POST /api/v1/applications/{app}/stages/{stage}/rollback}) with promote's own token for it
 * ({@code promote.rollback.token}); the dashboard checked the person's operator role first, and the reason sent
 * names them. The browser never talks to the rollback service: no second token in the page, no CORS.
 */
@ApplicationScoped
public class RollbackForwarder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PromoteConfig.Rollback config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RollbackForwarder(PromoteConfig config) {
        this.config = config.rollback();
    }

    /** Rolls the stage back (to {@code digest}, or its rollback target when null); the answer in words. */
    public Uni<String> rollBack(String application, String stage, String digest, String reason) {
        String token = config.token().orElseThrow(() -> ProblemException.unavailable(
                "promote has no token for the rollback service (promote.rollback.token); roll back through its API"));
        ObjectNode body = JSON.createObjectNode().put("reason", reason);
        if (digest != null && !digest.isBlank()) {
            body.put("digest", digest);
        }
        URI uri = URI.create(config.url().replaceAll("/+$", "") + "/api/v1/applications/" + path(application)
                + "/stages/" + path(stage) + "/rollback");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure(IOException.class).transform(e -> ProblemException.unavailable(
                        "the rollback service did not answer: " + e.getMessage()))
                .map(response -> {
                    JsonNode answer = read(response.body());
                    if (response.statusCode() / 100 != 2) {
                        throw new ProblemException(response.statusCode() == 401 || response.statusCode() == 403 ? 502
                                : response.statusCode(), "Rollback refused", "the rollback service refused: "
                                + answer.path("detail").asText(answer.path("title").asText("status "
                                + response.statusCode())));
                    }
                    return stage + " rolled back from " + StreamCell.shortDigest(answer.path("rolledBackDigest").asText())
                            + " to " + StreamCell.shortDigest(answer.path("digest").asText());
                });
    }

    private static JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
