package dev.promoter.kit.auth;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who made a request, as the service knows them after checking their token: never the token itself.
 *
 * @param name            the static caller's name ({@code jenkins}) or the person from the token's claim
 *                        ({@code ada@example.com}); recorded as the actor of what they do
 * @param roles           what the caller may do
 * @param groups          the identity provider's groups of an OIDC caller (empty for a static token); approval rules'
 *                        {@code @group} entries match them
 * @param authenticatedBy how the caller was recognised
 */
public record Caller(String name, Set<Role> roles, Set<String> groups, AuthenticatedBy authenticatedBy) {

    /** How a caller was recognised. */
    public enum AuthenticatedBy {
        /** A static bearer token from config. */
        STATIC_TOKEN,
        /** A JWT signed by the configured OIDC issuer. */
        OIDC,
        /** Nobody: an anonymous read, only when {@code pipeline.auth.open-reads=true}. */
        ANONYMOUS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public Caller {
        roles = Set.copyOf(roles);
        groups = Set.copyOf(groups);
    }

    /** The anonymous reader of open reads. */
    public static Caller anonymous() {
        return new Caller("anonymous", Set.of(), Set.of(), AuthenticatedBy.ANONYMOUS);
    }

    /** Whether one of the caller's roles grants {@code needed}. */
    public boolean has(Role needed) {
        return roles.stream().anyMatch(r -> r.grants(needed));
    }

    /** The caller's roles as a readable list, {@code none} when there are none. */
    public String rolesText() {
        return roles.isEmpty() ? "none" : roles.stream().sorted().map(Role::id).collect(Collectors.joining(", "));
    }
}
