package dev.promoter.build.builder;

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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Asks a Jenkins job to build through Jenkins' remote access API: {@code POST /job/<f>/job/<name>/buildWithParameters}
 * with HTTP basic auth. With a user's API token that is all (API-token calls are exempt from CSRF protection);
 * with a password it first fetches a crumb from {@code /crumbIssuer/api/json} and sends it back with the session
 * cookie it is bound to. Plain Java, no CDI.
 */
final class JenkinsClient {

    /** Jenkins refused the request in a way a retry will not change (401, 403, 404, 400). */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    /** Jenkins could not take the request now (5xx, connection refused, timeout): try again later. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Who calls Jenkins.
     *
     * @param user     the Jenkins user
     * @param apiToken the user's API token, or null
     * @param password the user's password when there is no token, or null
     */
    record Credentials(String user, String apiToken, String password) {

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", secret hidden]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    JenkinsClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Queues a build of {@code job} (folders separated by '/') with these parameters.
     *
     * @return the queue item URL Jenkins answered with in {@code Location}
     */
    String buildWithParameters(URI jenkins, String job, Map<String, String> parameters, Credentials credentials)
            throws Rejected, Unavailable, InterruptedException {
        String secret = credentials.apiToken() != null ? credentials.apiToken() : credentials.password();
        if (secret == null) {
            throw new Rejected("credentials of user " + credentials.user() + " have neither api-token nor password");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((credentials.user() + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(jobUrl(jenkins, job, "buildWithParameters"))
                .timeout(timeout)
                .header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(parameters)));
        if (credentials.apiToken() == null) {
            Crumb crumb = crumb(jenkins, basic);
            request.header(crumb.field(), crumb.value());
            crumb.cookie().ifPresent(cookie -> request.header("Cookie", cookie));
        }
        HttpResponse<String> response = send(request.build());
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            return response.headers().firstValue("Location").orElse("");
        }
        throw refuse("buildWithParameters of job " + job, status);
    }

    private record Crumb(String field, String value, Optional<String> cookie) {
    }

    private Crumb crumb(URI jenkins, String basic) throws Rejected, Unavailable, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(root(jenkins) + "crumbIssuer/api/json"))
                .timeout(timeout).header("Authorization", basic).GET().build());
        if (response.statusCode() != 200) {
            throw refuse("the crumb issuer", response.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String field = body.path("crumbRequestField").asText("Jenkins-Crumb");
            String value = body.path("crumb").asText(null);
            if (value == null) {
                throw new Unavailable("Jenkins' crumb issuer answered without a crumb");
            }
            // The crumb is bound to the web session: send back the cookies of the same response.
            List<String> cookies = response.headers().allValues("Set-Cookie").stream()
                    .map(header -> header.split(";", 2)[0]).toList();
            return new Crumb(field, value, cookies.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", cookies)));
        } catch (IOException e) {
            throw new Unavailable("Jenkins' crumb issuer answered something that is not JSON");
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws Unavailable, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("Jenkins at " + request.uri().getHost() + " could not be reached: "
                    + e.getClass().getSimpleName());
        }
    }

    // Always throws; declared to return so callers can write "throw refuse(...)".
    private static Rejected refuse(String what, int status) throws Rejected, Unavailable {
        String message = "Jenkins answered " + status + " to " + what;
        if (status >= 500 || status == 429) {
            throw new Unavailable(message);
        }
        throw switch (status) {
            case 401 -> new Rejected(message + ": check the user and its api-token or password");
            case 403 -> new Rejected(message + ": the user may not build this job (or the crumb was refused)");
            case 404 -> new Rejected(message + ": no such job, or the job takes no parameters");
            case 400, 405 -> new Rejected(message + ": the job does not take these parameters");
            default -> new Rejected(message);
        };
    }

    /** {@code <jenkins>/job/<a>/job/<b>/<action>}, each folder segment URL-encoded. */
    static URI jobUrl(URI jenkins, String job, String action) {
        String root = root(jenkins);
        String path = Arrays.stream(job.split("/"))
                .map(segment -> "job/" + URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
        return URI.create(root + path + "/" + action);
    }

    private static String root(URI jenkins) {
        return jenkins.toString().endsWith("/") ? jenkins.toString() : jenkins + "/";
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
