package dev.promoter.kit.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The three Slack calls the pipeline makes: {@code chat.postMessage}, {@code chat.update}, and a reply to an
 * interaction's {@code response_url}. Slack answers HTTP 200 with {@code "ok": false} for most refusals, so every
 * answer is read, and a refusal fails the returned stage with a {@link SlackApiException} naming Slack's error code.
 * Nothing here retries: callers decide, and record the outcome.
 */
public final class SlackWebApi {

    /** Where a posted message lives; {@code chat.update} needs exactly these two. */
    public record PostedMessage(String channel, String ts) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiUrl;
    private final Optional<String> botToken;
    private final String responseUrlPrefix;
    private final HttpClient http;
    private final Duration timeout;

    public SlackWebApi(URI apiUrl, Optional<String> botToken, String responseUrlPrefix, HttpClient http,
                       Duration timeout) {
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.botToken = botToken.filter(token -> !token.isBlank());
        this.responseUrlPrefix = Objects.requireNonNull(responseUrlPrefix, "responseUrlPrefix");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Whether a bot token is configured; without one nothing can be posted. */
    public boolean configured() {
        return botToken.isPresent();
    }

    /** Posts a message; {@code blocks} may be null for a text-only message, {@code text} is the notification fallback. */
    public CompletionStage<PostedMessage> postMessage(String channel, String text, JsonNode blocks) {
        ObjectNode body = JSON.createObjectNode().put("channel", channel).put("text", text);
        if (blocks != null) {
            body.set("blocks", blocks);
        }
        return call("chat.postMessage", body);
    }

    /** Replaces a posted message's text and blocks ({@code channel} must be the id Slack answered with). */
    public CompletionStage<PostedMessage> update(PostedMessage message, String text, JsonNode blocks) {
        ObjectNode body = JSON.createObjectNode().put("channel", message.channel()).put("ts", message.ts())
                .put("text", text);
        body.set("blocks", blocks == null ? JSON.createArrayNode() : blocks);
        return call("chat.update", body);
    }

    /**
     * Answers an interaction through its {@code response_url} (for example an ephemeral "you cannot approve your own
     * commit"). No token is sent: the URL is the credential, which is why it must start with the configured prefix.
     */
    public CompletionStage<Void> respond(URI responseUrl, ObjectNode message) {
        if (!responseUrl.toString().startsWith(responseUrlPrefix)) {
            return CompletableFuture.failedFuture(new SlackApiException("response_url",
                    "response_url outside " + responseUrlPrefix, null));
        }
        HttpRequest request = HttpRequest.newBuilder(responseUrl).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new SlackApiException("response_url", "http_" + response.statusCode(), retryAfter(response));
            }
            return null;
        });
    }

    private CompletionStage<PostedMessage> call(String method, ObjectNode body) {
        if (botToken.isEmpty()) {
            return CompletableFuture.failedFuture(new SlackApiException(method, "not_configured", null));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl.toString().replaceAll("/+$", "") + "/" + method))
                .timeout(timeout)
                .header("Authorization", "Bearer " + botToken.get())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> answer(method, response));
    }

    private static PostedMessage answer(String method, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            String error = response.statusCode() == 429 ? "ratelimited" : "http_" + response.statusCode();
            throw new SlackApiException(method, error, retryAfter(response));
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Slack " + method + " answered with something other than JSON", e);
        }
        if (!answer.path("ok").asBoolean(false)) {
            throw new SlackApiException(method, answer.path("error").asText("unknown_error"), null);
        }
        return new PostedMessage(answer.path("channel").asText(), answer.path("ts").asText());
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .filter(value -> value.matches("[0-9]{1,6}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)))
                .orElse(null);
    }
}
