package dev.promoter.kit.auth;

import dev.promoter.kit.auth.BearerTokens;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Machines' callers: a static token and roles per caller name, from {@code <service>.api-tokens.<caller>} and
 * {@code <service>.api-roles.<caller>}. A caller with a token and no roles may do nothing (every call is {@code 403}).
 */
final class StaticTokens {

    private final BearerTokens tokens;
    private final Map<String, Set<Role>> rolesByCaller;

    /** Unknown role names are refused here, so a typo stops the start instead of silently taking a right away. */
    StaticTokens(Map<String, String> tokensByCaller, Map<String, String> rolesByCaller) {
        this.tokens = new BearerTokens(tokensByCaller);
        Map<String, Set<Role>> roles = new HashMap<>();
        rolesByCaller.forEach((caller, list) -> {
            try {
                roles.put(caller, Role.parseList(list));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("api-roles." + caller + ": " + e.getMessage(), e);
            }
        });
        this.rolesByCaller = Map.copyOf(roles);
    }

    /** The caller whose token the header carries, with its roles; empty when none matches. */
    Optional<Caller> caller(String authorizationHeader) {
        return tokens.caller(authorizationHeader).map(name -> new Caller(name,
                rolesByCaller.getOrDefault(name, Set.of()), Set.of(), Caller.AuthenticatedBy.STATIC_TOKEN));
    }

    boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** Callers that have a token but no roles: they are refused everything. */
    Set<String> withoutRoles(Map<String, String> tokensByCaller) {
        Set<String> none = new java.util.TreeSet<>();
        tokensByCaller.forEach((caller, token) -> {
            if (token != null && !token.isBlank() && rolesByCaller.getOrDefault(caller, Set.of()).isEmpty()) {
                none.add(caller);
            }
        });
        return none;
    }
}
