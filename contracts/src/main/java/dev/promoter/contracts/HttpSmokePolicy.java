package dev.promoter.contracts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request an {@code http-smoke} suite sends to the stage once the stage runs the artifact, and what the answer
 * must hold.
 *
 * @param url            the stage's base URL, e.g. {@code http://127.0.0.1:18080}
 * @param method         the HTTP method, e.g. {@code GET}
 * @param path           the path (and query) appended to {@code url}, starting with {@code /}
 * @param headers        request headers; empty when none
 * @param expectedStatus the status the answer must have
 * @param expectedBody   text the body must contain, or null
 * @param expectedJson   JSON pointers into the body and the text each must equal; empty when none
 * @param timeout        how long one request may take
 * @param tries          how many times the request is sent before the check fails (the stage may not serve yet)
 * @param backoff        the wait before the second try; doubled before each further try, at most 30 s
 * @param digestPath     a path on {@code url} where the stage says which digest it serves, checked first; null when
 *                       the application exposes none
 */
public record HttpSmokePolicy(URI url, String method, String path, Map<String, String> headers, int expectedStatus,
                              String expectedBody, Map<String, String> expectedJson, Duration timeout, int tries,
                              Duration backoff, String digestPath) {

    public HttpSmokePolicy {
        Require.httpUrl(url, "url");
        Require.text(method, "method");
        if (!method.matches("[A-Z]{1,16}")) {
            throw new IllegalArgumentException("method must be an HTTP method in capitals, e.g. GET, got "
                    + Require.quote(method));
        }
        requirePath(path, "path");
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
        if (expectedStatus < 100 || expectedStatus > 599) {
            throw new IllegalArgumentException("expectedStatus must be 100 to 599, got " + expectedStatus);
        }
        Require.optionalText(expectedBody, "expectedBody");
        expectedJson = expectedJson == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(expectedJson));
        for (String pointer : expectedJson.keySet()) {
            if (!pointer.isEmpty() && !pointer.startsWith("/")) {
                throw new IllegalArgumentException("expectedJson keys must be JSON pointers starting with '/', got "
                        + Require.quote(pointer));
            }
        }
        positiveMillis(timeout, "timeout");
        if (tries < 1 || tries > 100) {
            throw new IllegalArgumentException("tries must be 1 to 100, got " + tries);
        }
        Require.present(backoff, "backoff");
        if (backoff.isNegative() || backoff.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("backoff must be 0 or more whole milliseconds, got " + backoff);
        }
        if (digestPath != null) {
            requirePath(digestPath, "digestPath");
        }
    }

    /** The URL the check calls. */
    public URI target() {
        return URI.create(stripSlash(url.toString()) + path);
    }

    /** The URL that says which digest the stage serves, or null. */
    public URI digestTarget() {
        return digestPath == null ? null : URI.create(stripSlash(url.toString()) + digestPath);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void requirePath(String value, String field) {
        Require.text(value, field);
        if (!value.startsWith("/") || value.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(field + " must start with '/' and hold no spaces, got "
                    + Require.quote(value));
        }
    }

    private static void positiveMillis(Duration value, String field) {
        Require.present(value, field);
        if (value.isNegative() || value.isZero() || value.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(field + " must be more than 0, in whole milliseconds, got " + value);
        }
    }
}
