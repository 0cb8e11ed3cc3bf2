package dev.promoter.promote.access;

import dev.promoter.kit.BearerTokens;
import dev.promoter.kit.ProblemException;
import dev.promoter.promote.config.PromoteConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who a bearer token belongs to and which roles it holds ({@code promote.api-roles.<caller>}; a caller without an
 * entry holds every role, as every token did before roles). {@code admin} holds every other role. Interim: the
 * shared {@code dev.promoter.kit.auth} of issue 15 replaces it.
 */
@ApplicationScoped
public class Access {

    /** A caller named by its token, and its roles. */
    public record Caller(String name, Set<Role> roles) {
        /** The API principal, {@code api:<caller>}. */
        public String identity() {
            return "api:" + name;
        }

        public boolean may(Role role) {
            return roles.contains(role) || roles.contains(Role.ADMIN);
        }
    }

    private final BearerTokens tokens;
    private final Map<String, Set<Role>> roles;

    Access(PromoteConfig config) {
        this.tokens = new BearerTokens(config.apiTokens());
        this.roles = config.apiRoles().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> parse(e.getKey(), e.getValue())));
    }

    /** The caller whose token the header carries; empty when none matches. */
    public Optional<Caller> caller(String authorization) {
        return tokens.caller(authorization).map(name -> new Caller(name, roles.getOrDefault(name, EnumSet.allOf(Role.class))));
    }

    /** The caller, or 401 without a valid token and 403 when it lacks {@code role}. */
    public Caller require(String authorization, Role role) {
        Caller caller = caller(authorization).orElseThrow(ProblemException::unauthorized);
        if (!caller.may(role)) {
            throw new ProblemException(403, "Forbidden", "this needs the " + role.word() + " role; " + caller.name()
                    + " holds " + caller.roles().stream().map(Role::word).sorted().collect(Collectors.joining(", ")));
        }
        return caller;
    }

    private static Set<Role> parse(String caller, String words) {
        Set<Role> parsed = EnumSet.noneOf(Role.class);
        for (String word : Arrays.stream(words.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList()) {
            try {
                parsed.add(Role.valueOf(word.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("promote.api-roles." + caller + ": unknown role '" + word
                        + "'; the roles are " + Arrays.stream(Role.values()).map(Role::word).toList(), e);
            }
        }
        return parsed;
    }
}
