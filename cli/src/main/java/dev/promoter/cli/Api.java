package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The four services' public HTTP APIs as the CLI calls them. Every refusal becomes a {@link CliException} of one
 * line that says what to do: a 401 names the token variables, a 403 the role the call needs, a 404 of a path the
 * service does not serve says so, an unreachable service names its URL and {@code ./pipeline up}. Tokens go into
 * the Authorization header only.
 */
public final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Settings settings;
    private HttpClient http;

    public Api(Settings settings) {
        this.settings = settings;
    }

    /** GET a JSON document; a 404 is a refusal (exit 1) with the service's words. */
    public JsonNode get(Service service, String path) {
        return parse(call(service, "GET", path, null, null, null, false).body());
    }

    /**
     * One page of a list: the answer and the {@code before} of the next page, null on the last. A list answered as
     * a JSON object carries it as {@code nextBefore}; one answered as a bare array, in its {@code Link: <...>;
     * rel="next"} header.
     */
    public record Page(JsonNode body, Long nextBefore) {
    }

    /** GET one page of a list (see {@link Page}), or null when the service answers 404. */
    public Page getPageOrNull(Service service, String path) {
        HttpResponse<String> response = call(service, "GET", path, null, null, null, true);
        return response.statusCode() == 404 ? null : page(response);
    }

    /** GET one page of a list (see {@link Page}). */
    public Page getPage(Service service, String path) {
        return page(call(service, "GET", path, null, null, null, false));
    }

    private Page page(HttpResponse<String> response) {
        JsonNode body = parse(response.body());
        Long next = body.hasNonNull("nextBefore") ? Long.valueOf(body.path("nextBefore").asLong()) : null;
        if (next == null) {
            next = response.headers().allValues("Link").stream().map(Api::nextBefore)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        return new Page(body, next);
    }

    private static final java.util.regex.Pattern NEXT = java.util.regex.Pattern
            .compile("<[^>]*[?&]before=(\\d+)[^>]*>\\s*;\\s*rel=\"?next\"?");

    /** The {@code before} of a {@code Link} header's {@code rel="next"}, or null. */
    static Long nextBefore(String link) {
        java.util.regex.Matcher matcher = NEXT.matcher(link);
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }

    /** GET a JSON document, or null when the service answers 404 (it knows nothing of it, or has no such call). */
    public JsonNode getOrNull(Service service, String path) {
        HttpResponse<String> response = call(service, "GET", path, null, null, null, true);
        return response.statusCode() == 404 ? null : parse(response.body());
    }

    /** GET a text document (a pipeline definition's YAML), or null on 404. */
    public String getText(Service service, String path, String accept) {
        HttpResponse<String> response = call(service, "GET", path, null, accept, null, true);
        return response.statusCode() == 404 ? null : response.body();
    }

    /**
     * A write: {@code method} with a JSON body (or none), authorised by the service's token; {@code role} is the
     * role the call needs, named when the service refuses with 403. Returns the answer's JSON, or an empty object.
     */
    public JsonNode write(Service service, String method, String path, Object body, String role) {
        String json = body == null ? null : body instanceof String s ? s : JSON.valueToTree(body).toString();
        HttpResponse<String> response = call(service, method, path, json, "application/json", role, false);
        return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
    }

    /** PUT a body of the given content type; returns the answer's text. */
    public String put(Service service, String path, String body, String contentType, String role) {
        return call(service, "PUT", path, body, contentType, role, false).body();
    }

    /** POST a body of the given content type, answered in JSON (a pipeline definition's dry run). */
    public JsonNode postForJson(Service service, String path, String body, String contentType, String role) {
        return parse(call(service, "POST", path, body, contentType, "application/json", role, false).body());
    }

    /** A path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> call(Service service, String method, String path, String body, String contentType,
                                      String role, boolean notFoundIsAnswer) {
        // A YAML call (a pipeline definition, read or saved) is answered in YAML.
        return call(service, method, path, body, contentType, contentType != null && contentType.contains("yaml")
                ? contentType : "application/json", role, notFoundIsAnswer);
    }

    private HttpResponse<String> call(Service service, String method, String path, String body, String contentType,
                                      String accept, String role, boolean notFoundIsAnswer) {
        Settings.Target target = settings.target(service);
        // Refusals are problem+json always.
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(TIMEOUT)
                .header("Accept", accept + ", application/problem+json");
        if (target.token() != null) {
            request.header("Authorization", "Bearer " + target.token());
        }
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REFUSED, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2 || (status == 404 && notFoundIsAnswer)) {
            return response;
        }
        throw refusal(target, method + " " + path, status, response.body(), role, settings.caller());
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        }
        return http;
    }

    static CliException unreachable(Settings.Target target, IOException e) {
        String why = e instanceof java.net.http.HttpConnectTimeoutException ? "no connection within 3 s"
                : e instanceof java.net.http.HttpTimeoutException ? "no answer within " + TIMEOUT.toSeconds() + " s"
                : e instanceof java.net.ConnectException ? "connection refused"
                : e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException(CliException.UNREACHABLE, "cannot reach the " + target.service().word()
                + " service at " + target.url() + " (" + why + "): start the local stack with ./pipeline up, or set "
                + target.service().urlVariable() + " (now from " + target.urlSource() + ")");
    }

    /** The one-line refusal of a call that answered {@code status} with {@code body} (problem+json or not). */
    static CliException refusal(Settings.Target target, String call, int status, String body, String role,
                                String caller) {
        Service service = target.service();
        String name = "the " + service.word() + " service";
        JsonNode problem = parseQuietly(body);
        String detail = problem.path("detail").asText("").strip();
        List<String> errors = new ArrayList<>();
        problem.path("errors").forEach(e -> errors.add(e.asText()));
        String words = detail + (errors.isEmpty() ? "" : (detail.isEmpty() ? "" : ": ") + String.join("; ", errors));
        String tokenVariables = "PROMOTER_TOKEN (or " + service.tokenVariable() + ")";
        return switch (status) {
            case 401 -> CliException.refused(target.token() == null
                    ? "no token for " + name + " (401): set " + tokenVariables + ", or start the local stack with"
                            + " ./pipeline up, which keeps its callers' tokens in .pipeline/secrets.env"
                    : name + " did not accept the token from " + target.tokenSource() + " (401): set "
                            + tokenVariables + " to a token it knows as " + service.serviceTokenVariable(caller)
                            + (target.tokenSource().contains("secrets.env")
                            ? "; a service started before secrets.env changed keeps the old tokens:"
                                    + " ./pipeline down && ./pipeline up" : ""));
            case 403 -> CliException.refused(name + " refused " + call + " (403)" + (words.isEmpty() ? "" : ": " + words)
                    + (role == null || words.toLowerCase().contains("role") ? ""
                    : " — the call needs role " + role + "; ask an admin to give caller " + caller + " that role"));
            case 404 -> CliException.refused(words.isEmpty() || words.equals("HTTP 404 Not Found")
                    ? name + " at " + target.url() + " does not offer " + call + " (404): it is older than this CLI"
                    : words);
            default -> CliException.refused(name + (status >= 500 ? " failed " : " refused ") + call + " (" + status
                    + (problem.hasNonNull("title") ? " " + problem.path("title").asText() : "") + ")"
                    + (words.isEmpty() ? "" : ": " + words)
                    + (status >= 500 ? "; read its log, .pipeline/logs/" + service.word() + ".log locally" : ""));
        };
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw CliException.refused("the answer is not JSON: " + oneLine(body));
        }
    }

    private static JsonNode parseQuietly(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", oneLine(body));
        }
    }

    static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
