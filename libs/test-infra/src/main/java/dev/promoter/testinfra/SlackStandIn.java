package dev.promoter.testinfra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack on loopback, as far as the pipeline uses it, answering the way docs.slack.dev documents:
 * <ul>
 *   <li>{@code POST /api/chat.postMessage} and {@code /api/chat.update} with {@code Authorization: Bearer <bot token>},
 *   a JSON or form body; HTTP 200 with {@code {"ok": true, "channel", "ts", "message"}} or {@code {"ok": false,
 *   "error"}}: {@code not_authed} without a token, {@code invalid_auth} with a wrong one, {@code channel_not_found},
 *   {@code no_text} without text and blocks, {@code message_not_found} for an update of a message it never posted
 *   (chat.update needs the channel id, not a {@code #name});</li>
 *   <li>{@code POST /response/<id>}: the {@code response_url}s of interaction payloads ({@link #newResponseUrl()}).</li>
 * </ul>
 * It records every call, so tests assert what the pipeline told people.
 */
public final class SlackStandIn implements AutoCloseable {

    /** One call as Slack received it: the method (e.g. chat.postMessage, or response_url) and the body as JSON. */
    public record Call(String method, JsonNode body) {
    }

    /** A message as it stands after its updates. */
    public record Message(String channel, String ts, String text, JsonNode blocks) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String botToken;
    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Message> messages = new LinkedHashMap<>();
    private final Map<String, String> channelIds = new HashMap<>();
    private final AtomicLong clock = new AtomicLong(1_790_000_000_000_100L);
    private final AtomicInteger responseUrls = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final List<Integer> statusFailures = new ArrayList<>();

    private SlackStandIn(String botToken) {
        this.botToken = botToken;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/", this::api);
        server.createContext("/response/", this::response);
        server.start();
    }

    /** Starts a stand-in that accepts exactly this bot token. */
    public static SlackStandIn start(String botToken) {
        return new SlackStandIn(botToken);
    }

    /** The Web API base, as {@code pipeline.slack.api-url}. */
    public URI apiUrl() {
        return URI.create(base() + "/api");
    }

    /** What every response_url of this stand-in starts with, as {@code pipeline.slack.response-url-prefix}. */
    public String responseUrlPrefix() {
        return base() + "/response/";
    }

    /** A fresh response_url, as Slack puts one in each interaction payload. */
    public URI newResponseUrl() {
        return URI.create(responseUrlPrefix() + "T0TEAM/" + responseUrls.incrementAndGet() + "/xyzSecretPart");
    }

    /** The next Web API call answers {@code {"ok": false, "error": error}}, as Slack does on e.g. ratelimited. */
    public synchronized void failNextCallWith(String error) {
        failures.add(error);
    }

    /** The next Web API call answers the HTTP status {@code status} (an outage: e.g. 503) with no Slack answer. */
    public synchronized void failNextCallWithStatus(int status) {
        statusFailures.add(status);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).toList();
    }

    /** Every message posted to that channel (id or #name), in posting order, as updated since. */
    public synchronized List<Message> messages(String channel) {
        String id = channelIds.getOrDefault(channel, channel);
        return messages.values().stream().filter(message -> message.channel().equals(id)).toList();
    }

    /** The id Slack gives a channel known by name, e.g. #releases, or the id itself. */
    public synchronized String channelId(String channel) {
        return channel.startsWith("#") ? channelIds.computeIfAbsent(channel, name -> "C" + idFor(name)) : channel;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            JsonNode body = body(exchange);
            ObjectNode answer;
            synchronized (this) {
                calls.add(new Call(method, body));
                if (!statusFailures.isEmpty()) {
                    int status = statusFailures.remove(0);
                    byte[] text = ("Slack is unavailable (" + status + ")").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(status, text.length);
                    exchange.getResponseBody().write(text);
                    return;
                }
                answer = answer(method, exchange.getRequestHeaders().getFirst("Authorization"), body);
            }
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private ObjectNode answer(String method, String authorization, JsonNode body) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return error("not_authed");
        }
        if (!authorization.substring("Bearer ".length()).equals(botToken)) {
            return error("invalid_auth");
        }
        if (!failures.isEmpty()) {
            return error(failures.remove(0));
        }
        String channel = body.path("channel").asText("");
        boolean hasText = !body.path("text").asText("").isEmpty() || body.path("blocks").size() > 0;
        switch (method) {
            case "chat.postMessage" -> {
                if (!channel.matches("[CDG][A-Z0-9]{8,}|#[a-z0-9][a-z0-9._-]*")) {
                    return error("channel_not_found");
                }
                if (!hasText) {
                    return error("no_text");
                }
                Message message = new Message(channelId(channel), nextTs(), body.path("text").asText(""),
                        body.path("blocks"));
                messages.put(message.channel() + "/" + message.ts(), message);
                return ok(message);
            }
            case "chat.update" -> {
                if (!channel.matches("[CDG][A-Z0-9]{8,}")) {
                    return error("channel_not_found");
                }
                Message old = messages.get(channel + "/" + body.path("ts").asText(""));
                if (old == null) {
                    return error("message_not_found");
                }
                if (!hasText && !body.has("blocks")) {
                    return error("no_text");
                }
                Message updated = new Message(old.channel(), old.ts(), body.path("text").asText(old.text()),
                        body.has("blocks") ? body.get("blocks") : old.blocks());
                messages.put(channel + "/" + old.ts(), updated);
                return ok(updated);
            }
            default -> {
                return error("unknown_method");
            }
        }
    }

    private void response(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = body(exchange);
            synchronized (this) {
                calls.add(new Call("response_url", body));
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (type.startsWith("application/x-www-form-urlencoded")) {
            ObjectNode form = JSON.createObjectNode();
            for (String pair : new String(raw, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }
        return raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
    }

    private ObjectNode ok(Message message) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true).put("channel", message.channel())
                .put("ts", message.ts());
        ObjectNode posted = answer.putObject("message").put("type", "message").put("text", message.text())
                .put("ts", message.ts());
        posted.set("blocks", message.blocks());
        return answer;
    }

    private static ObjectNode error(String code) {
        return JSON.createObjectNode().put("ok", false).put("error", code);
    }

    private String nextTs() {
        long micros = clock.incrementAndGet();
        return micros / 1_000_000 + "." + String.format("%06d", micros % 1_000_000);
    }

    private static String idFor(String name) {
        return String.format("%08X", name.hashCode()) + "XX";
    }
}
