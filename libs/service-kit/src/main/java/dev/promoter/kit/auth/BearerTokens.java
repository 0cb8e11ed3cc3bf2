package dev.promoter.kit.auth;

import dev.promoter.kit.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Matches an {@code Authorization: Bearer} header against configured tokens in constant time, and
 * names the caller it belongs to. Tokens are never logged or echoed.
 */
public final class BearerTokens {

    private final Map<String, byte[]> tokensByCaller;

    /** {@code tokensByCaller}: caller name → its secret token; blank tokens are ignored. */
    public BearerTokens(Map<String, String> tokensByCaller) {
        this.tokensByCaller = tokensByCaller.entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey,
                        e -> e.getValue().getBytes(StandardCharsets.UTF_8)));
    }

    /** The caller whose token the header carries; empty when it carries none that matches. */
    public Optional<String> caller(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        String match = null;
        // Compare against every token, without stopping early, so timing says nothing about which matched.
        for (Map.Entry<String, byte[]> entry : tokensByCaller.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), presented) && match == null) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    /** The caller, or a 401 problem. */
    public String require(String authorizationHeader) {
        return caller(authorizationHeader).orElseThrow(ProblemException::unauthorized);
    }

    public boolean isEmpty() {
        return tokensByCaller.isEmpty();
    }
}
