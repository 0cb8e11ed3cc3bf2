package dev.promoter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The authentication state of one registry: which scheme it asked for, and the bearer tokens fetched
 * from its token endpoint (distribution {@code docs/spec/auth/token.md}), cached per scope until they
 * expire.
 *
 * <p>Once the registry has shown its challenge, later requests carry credentials from the start, so a
 * warm client spends no round trip on 401s.
 */
final class RegistryAuth {

    static final long DEFAULT_TOKEN_SECONDS = 60;
    private static final long MAX_TOKEN_ANSWER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Realm(URI uri, String service) {
    }

    record Token(String value, long expiresAtNanos) {
    }

    private final String registry;
    private final RegistryCredentials credentials;
    private final RegistryHttp http;
    private final boolean plainHttpAllowed;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, CompletableFuture<Token>> tokens = new ConcurrentHashMap<>();
    private volatile boolean basic;
    private volatile Realm realm;

    RegistryAuth(String registry, RegistryCredentials credentials, RegistryHttp http, boolean plainHttpAllowed,
                 LongSupplier nanoClock) {
        this.registry = registry;
        this.credentials = credentials;
        this.http = http;
        this.plainHttpAllowed = plainHttpAllowed;
        this.nanoClock = nanoClock;
    }

    RegistryCredentials credentials() {
        return credentials;
    }

    /** The Authorization header for a request needing {@code scope}, or null while nothing is known to be needed. */
    CompletableFuture<String> authorizationFor(String scope, boolean blocking) {
        if (basic) {
            return CompletableFuture.completedFuture(credentials.basicAuthorization());
        }
        Realm current = realm;
        if (current == null) {
            return CompletableFuture.completedFuture(null);
        }
        return token(current, scope, List.of(scope), null, blocking).thenApply(token -> "Bearer " + token.value());
    }

    /**
     * What to send after a 401 that answered {@code sent}: a fresh bearer token, Basic credentials, or
     * null when there is nothing new to try (the caller then reports the 401).
     */
    CompletableFuture<String> afterUnauthorized(String scope, String sent, RegistryHttp.Response response, boolean blocking) {
        List<Challenge> challenges = Challenge.from(response.headers());
        for (Challenge challenge : challenges) {
            if (challenge.is("Bearer") && challenge.param("realm").isPresent()) {
                Realm challenged = new Realm(realmUri(challenge.param("realm").get()),
                        challenge.param("service").orElse(null));
                realm = challenged;
                basic = false;
                List<String> scopes = challenge.param("scope")
                        .map(s -> Arrays.stream(s.split(" ")).filter(x -> !x.isBlank()).toList())
                        .filter(list -> !list.isEmpty())
                        .orElse(List.of(scope));
                String rejected = sent != null && sent.startsWith("Bearer ") ? sent.substring(7) : null;
                return token(challenged, scope, scopes, rejected, blocking).thenApply(token -> "Bearer " + token.value());
            }
        }
        for (Challenge challenge : challenges) {
            if (challenge.is("Basic") && !credentials.isAnonymous()
                    && (sent == null || !sent.startsWith("Basic "))) {
                basic = true;
                return CompletableFuture.completedFuture(credentials.basicAuthorization());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The cached token for the scope, or a fetch shared by every caller that needs it meanwhile, so a
     * burst of requests after start-up asks the token endpoint once. {@code rejected} is a token the
     * registry just refused: it is replaced even if it has not expired.
     */
    private CompletableFuture<Token> token(Realm at, String scope, List<String> requested, String rejected,
                                           boolean blocking) {
        String key = at.uri() + " " + scope;
        @SuppressWarnings("unchecked")
        CompletableFuture<Token>[] created = new CompletableFuture[1];
        CompletableFuture<Token> current = tokens.compute(key, (k, old) -> {
            if (old != null && usable(old, rejected)) {
                return old;
            }
            created[0] = new CompletableFuture<>();
            return created[0];
        });
        if (created[0] != null) {
            CompletableFuture<Token> mine = created[0];
            fetch(at, requested, blocking).whenComplete((token, failure) -> {
                if (failure != null) {
                    // A failed fetch is not cached: the next request asks again.
                    tokens.remove(key, mine);
                    mine.completeExceptionally(failure);
                } else {
                    mine.complete(token);
                }
            });
        }
        return current;
    }

    private boolean usable(CompletableFuture<Token> cached, String rejected) {
        if (!cached.isDone()) {
            return true;
        }
        if (cached.isCompletedExceptionally()) {
            return false;
        }
        Token token = cached.join();
        return !token.value().equals(rejected) && nanoClock.getAsLong() - token.expiresAtNanos() < 0;
    }

    private CompletableFuture<Token> fetch(Realm at, List<String> scopes, boolean blocking) {
        StringBuilder uri = new StringBuilder(at.uri().toString());
        char separator = at.uri().getRawQuery() == null ? '?' : '&';
        if (at.service() != null) {
            uri.append(separator).append("service=").append(encode(at.service()));
            separator = '&';
        }
        // One scope parameter per scope, as the token spec asks.
        for (String scope : scopes) {
            uri.append(separator).append("scope=").append(encode(scope));
            separator = '&';
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (!credentials.isAnonymous()) {
            headers.put("Authorization", credentials.basicAuthorization());
        }
        String what = "token endpoint " + at.uri() + " (scope " + String.join(" ", scopes) + ")";
        long startedAt = nanoClock.getAsLong();
        return http.send("GET", URI.create(uri.toString()), headers, null, MAX_TOKEN_ANSWER, MAX_TOKEN_ANSWER, blocking)
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw RegistryClient.transportFailure("could not get a token from " + what, failure,
                                credentials);
                    }
                    return parseToken(response, what, startedAt);
                });
    }

    private Token parseToken(RegistryHttp.Response response, String what, long startedAt) {
        int status = response.statusCode();
        if (status != 200) {
            OciError error = OciError.parse(response.body());
            String why = status == 401 || status == 403
                    ? (credentials.isAnonymous() ? " refused anonymous access; configure registry credentials"
                    : " refused the credentials of user '" + credentials.username().orElseThrow() + "'")
                    : " answered HTTP " + status;
            throw new RegistryException(credentials.redact(what + why + error.suffix(status)), status,
                    error.code(), credentials.redact(error.message()), null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(what + " answered 200 with a body that is not JSON", 0);
        }
        // The spec treats token and access_token as equivalent; OAuth2 servers send only the latter.
        String token = text(body, "token");
        if (token == null) {
            token = text(body, "access_token");
        }
        if (token == null) {
            throw new RegistryException(what + " answered 200 without a token or access_token", 0);
        }
        long seconds = body.path("expires_in").asLong(DEFAULT_TOKEN_SECONDS);
        if (seconds <= 0) {
            seconds = DEFAULT_TOKEN_SECONDS;
        }
        // Counted from when we asked, and renewed a little early, so a token never expires in flight.
        long margin = Math.min(seconds / 10, 10);
        return new Token(token, startedAt + TimeUnit.SECONDS.toNanos(seconds - margin));
    }

    private URI realmUri(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(registry + " sent a token realm that is not a URI", 401);
        }
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || uri.getHost() == null) {
            throw new RegistryException(registry + " sent a token realm that is not an http(s) URL: " + value, 401);
        }
        // Basic credentials over plain HTTP to some other host would leak them; allow it only where
        // plain HTTP was chosen for this registry (loopback or configured).
        if ("http".equalsIgnoreCase(scheme) && !credentials.isAnonymous() && !plainHttpAllowed
                && !RegistryClient.isLoopback(uri.getHost())) {
            throw new RegistryException(registry + " asked for credentials over plain HTTP at " + value
                    + "; refusing to send them (configure the registry as plain HTTP if you mean it)", 401);
        }
        return uri;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
