package dev.promoter.build.intake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A loopback Jenkins that checks what a real one checks for {@code buildWithParameters}: HTTP basic auth of a user
 * with its API token (then no crumb is needed) or its password (then the crumb from {@code /crumbIssuer/api/json}
 * must come back with the session cookie it was issued to), the job's path in folders, and the job's parameters.
 * Accepted builds answer 201 with a {@code Location} queue item, and then "run": {@code onBuild} gets the parameters.
 */
final class JenkinsStandIn implements AutoCloseable {

    private final HttpServer server;
    private final String user;
    private final String apiToken;
    private final String password;
    private final String job;
    private final Set<String> parameters;
    private final Map<String, String> crumbsBySession = new ConcurrentHashMap<>();
    private final List<Map<String, String>> builds = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger queue = new AtomicInteger(100);
    private volatile Consumer<Map<String, String>> onBuild = parameters -> { };
    private volatile int failNextWith;

    JenkinsStandIn(String user, String apiToken, String password, String job, Set<String> parameters) throws IOException {
        this.user = user;
        this.apiToken = apiToken;
        this.password = password;
        this.job = job;
        this.parameters = parameters;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Parameters of every build accepted, in order. */
    List<Map<String, String>> builds() {
        return List.copyOf(builds);
    }

    /** Why requests were refused. */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    void onBuild(Consumer<Map<String, String>> action) {
        this.onBuild = action;
    }

    /** The next buildWithParameters is answered with this status (e.g. 503), once. */
    void failNextWith(int status) {
        this.failNextWith = status;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("X-Jenkins", "2.479.3");
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/crumbIssuer/api/json") && exchange.getRequestMethod().equals("GET")) {
                crumb(exchange);
            } else if (path.endsWith("/buildWithParameters") && exchange.getRequestMethod().equals("POST")) {
                build(exchange, path);
            } else {
                respond(exchange, 404, "text/html", "<html><body>Not found</body></html>");
            }
        }
    }

    private void crumb(HttpExchange exchange) throws IOException {
        if (authenticated(exchange) == null) {
            refuse(exchange, 401, "crumb issuer without valid basic auth");
            return;
        }
        String session = "node0" + UUID.randomUUID().toString().replace("-", "");
        String crumb = UUID.randomUUID().toString().replace("-", "");
        crumbsBySession.put(session, crumb);
        exchange.getResponseHeaders().add("Set-Cookie", "JSESSIONID.3b1e5d2a=" + session + "; Path=/; HttpOnly");
        respond(exchange, 200, "application/json", "{\"_class\":\"hudson.security.csrf.DefaultCrumbIssuer\",\"crumb\":\""
                + crumb + "\",\"crumbRequestField\":\"Jenkins-Crumb\"}");
    }

    private void build(HttpExchange exchange, String path) throws IOException {
        String secretKind = authenticated(exchange);
        if (secretKind == null) {
            refuse(exchange, 401, "buildWithParameters without valid basic auth");
            return;
        }
        if (secretKind.equals("password") && !validCrumb(exchange)) {
            // Jenkins answers 403 "No valid crumb was included in the request".
            refuse(exchange, 403, "no valid crumb with the session cookie");
            return;
        }
        String expected = "/job/" + String.join("/job/", job.split("/")) + "/buildWithParameters";
        if (!path.equals(expected)) {
            refuse(exchange, 404, "no job at " + path);
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            refuse(exchange, 400, "parameters not form-encoded: " + contentType);
            return;
        }
        Map<String, String> received = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!received.keySet().equals(parameters) || received.values().stream().anyMatch(String::isBlank)) {
            refuse(exchange, 400, "parameters " + received.keySet() + " instead of " + parameters);
            return;
        }
        if (failNextWith != 0) {
            int status = failNextWith;
            failNextWith = 0;
            refuse(exchange, status, "told to fail once");
            return;
        }
        builds.add(received);
        exchange.getResponseHeaders().add("Location", url() + "queue/item/" + queue.incrementAndGet() + "/");
        respond(exchange, 201, null, "");
        new Thread(() -> onBuild.accept(received), "jenkins-build").start();
    }

    /** "token" or "password" when basic auth names the user with one of them, else null. */
    private String authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        if (apiToken != null && same(decoded, user + ":" + apiToken)) {
            return "token";
        }
        if (password != null && same(decoded, user + ":" + password)) {
            return "password";
        }
        return null;
    }

    private boolean validCrumb(HttpExchange exchange) {
        String crumb = exchange.getRequestHeaders().getFirst("Jenkins-Crumb");
        String cookies = exchange.getRequestHeaders().getFirst("Cookie");
        if (crumb == null || cookies == null) {
            return false;
        }
        for (String cookie : cookies.split(";\\s*")) {
            String[] pair = cookie.split("=", 2);
            if (pair.length == 2 && pair[0].startsWith("JSESSIONID.") && crumb.equals(crumbsBySession.get(pair[1]))) {
                return true;
            }
        }
        return false;
    }

    private void refuse(HttpExchange exchange, int status, String why) throws IOException {
        refusals.add(status + " " + why);
        respond(exchange, status, "text/html", "<html><body>" + why + "</body></html>");
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
