package dev.promoter.test.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HttpSmokePolicy;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.promoter.kit.outbound.OutboundUrls;

/**
 * The {@code http-smoke} suite: once the stage serves the artifact (when the application says which digest it
 * serves), one request to the stage whose answer must have the expected status, body text and JSON values. The stage
 * may still be starting, so the check is tried again with backoff before it fails; the reason names what the last try
 * found. Blocking: call it off the event loop.
 */
final class HttpSmokeCheck {

    /** The suite kind this runner executes. */
    static final String KIND = "http-smoke";

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int MAX_BODY_ECHO = 80;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between tries; tests pass one that records the waits. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HttpClient client;
    private final Sleeper sleeper;
    private final OutboundUrls outbound;

    HttpSmokeCheck(HttpClient client, Sleeper sleeper, OutboundUrls outbound) {
        this.client = client;
        this.sleeper = sleeper;
        this.outbound = outbound;
    }

    /**
     * A check with its own client (HTTP/1.1, no redirects followed: a redirect is an answer to judge) that calls only
     * the hosts {@code outbound} allows.
     */
    static HttpSmokeCheck withDefaults(OutboundUrls outbound) {
        return new HttpSmokeCheck(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build(),
                duration -> Thread.sleep(duration.toMillis()), outbound);
    }

    /** The wait before try {@code tryNumber} (2, 3, ...): {@code backoff} doubled each time, at most 30 s. */
    static Duration backoffBefore(int tryNumber, Duration backoff) {
        Duration wait = backoff;
        for (int i = 2; i < tryNumber && wait.compareTo(MAX_BACKOFF) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** SUCCESS once a try finds nothing wrong; FAILURE with the last try's findings once every try found some. */
    SuiteRunVerdict run(HttpSmokePolicy http, Digest digest) {
        // Checked at every run, resolving the host now: a listed name may come to resolve to a metadata address.
        Optional<String> refusal = outbound.refusal(http.target(), OutboundUrls.DNS);
        if (refusal.isPresent()) {
            return SuiteRunVerdict.errored(http.target() + " was not called: "
                    + new OutboundUrls.RefusedUrlException(refusal.get()).getMessage());
        }
        List<String> findings = List.of();
        for (int attempt = 1; attempt <= http.tries(); attempt++) {
            if (attempt > 1) {
                try {
                    sleeper.sleep(backoffBefore(attempt, http.backoff()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return SuiteRunVerdict.errored("interrupted while waiting to try " + http.target() + " again");
                }
            }
            findings = tryOnce(http, digest);
            if (findings.isEmpty()) {
                return SuiteRunVerdict.of(List.of());
            }
        }
        String after = http.tries() == 1 ? "" : " (after " + http.tries() + " tries)";
        return new SuiteRunVerdict(Outcome.FAILURE, findings, String.join("; ", findings) + after);
    }

    private List<String> tryOnce(HttpSmokePolicy http, Digest digest) {
        URI digestTarget = http.digestTarget();
        if (digestTarget != null) {
            Answer served = send("GET", digestTarget, Map.of(), http.timeout());
            if (served.failure() != null) {
                return List.of(served.failure());
            }
            if (served.status() / 100 != 2) {
                return List.of("GET " + http.digestPath() + " (which digest the stage serves) answered "
                        + served.status());
            }
            if (!served.body().contains(digest.value())) {
                return List.of("the stage serves " + echo(served.body().strip()) + " at " + http.digestPath()
                        + ", not " + digest.value());
            }
        }
        Answer answer = send(http.method(), http.target(), http.headers(), http.timeout());
        if (answer.failure() != null) {
            return List.of(answer.failure());
        }
        String request = http.method() + " " + http.path();
        List<String> findings = new ArrayList<>();
        if (answer.status() != http.expectedStatus()) {
            findings.add(request + " answered " + answer.status() + ", expected " + http.expectedStatus());
        }
        if (http.expectedBody() != null && !answer.body().contains(http.expectedBody())) {
            findings.add(request + ": the body does not contain '" + http.expectedBody() + "'");
        }
        if (!http.expectedJson().isEmpty()) {
            findings.addAll(jsonFindings(request, http.expectedJson(), answer.body()));
        }
        return findings;
    }

    private static List<String> jsonFindings(String request, Map<String, String> expected, String body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return List.of(request + ": the body is not JSON, so " + String.join(", ", expected.keySet())
                    + " cannot be checked");
        }
        List<String> findings = new ArrayList<>();
        expected.forEach((pointer, value) -> {
            JsonNode found = tree == null ? null : tree.at(pointer);
            if (found == null || found.isMissingNode()) {
                findings.add(request + ": " + pointer + " is missing, expected '" + value + "'");
            } else {
                String text = found.isValueNode() ? found.asText() : found.toString();
                if (!text.equals(value)) {
                    findings.add(request + ": " + pointer + " is '" + echo(text) + "', expected '" + value + "'");
                }
            }
        });
        return findings;
    }

    private Answer send(String method, URI target, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body() == null ? "" : response.body(), null);
        } catch (HttpTimeoutException e) {
            return new Answer(0, "", method + " " + target + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Answer(0, "", method + " " + target + " failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", method + " " + target + " was interrupted");
        } catch (IllegalArgumentException e) {
            return new Answer(0, "", method + " " + target + " cannot be sent: " + e.getMessage());
        }
    }

    private static String echo(String text) {
        return text.length() <= MAX_BODY_ECHO ? text : text.substring(0, MAX_BODY_ECHO - 1) + "…";
    }

    private record Answer(int status, String body, String failure) {
    }
}
