package dev.promoter.promote.access;

import dev.promoter.kit.auth.AccessRefused;
import dev.promoter.kit.auth.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's and the stop-the-line API's view of who calls: the service's {@link dev.promoter.kit.auth.Access}
 * (static tokens with their roles, OIDC tokens), with the caller's API identity ({@code api:<caller>}) at hand.
 */
@ApplicationScoped
public class Access {

    /** A caller named by its token, and its roles. */
    public record Caller(String name, Set<Role> roles) {
        /** The API principal, {@code api:<caller>}. */
        public String identity() {
            return "api:" + name;
        }

        /** Whether one of the caller's roles grants {@code role} (admin grants all, every role grants viewer). */
        public boolean may(Role role) {
            return roles.stream().anyMatch(r -> r.grants(role));
        }
    }

    private final dev.promoter.kit.auth.Access access;

    Access(dev.promoter.kit.auth.Access access) {
        this.access = access;
    }

    /** The caller whose token the header carries, if it may at least read; empty otherwise. */
    public Optional<Caller> caller(String authorization) {
        try {
            return Optional.of(require(authorization, Role.VIEWER));
        } catch (AccessRefused e) {
            return Optional.empty();
        }
    }

    /** The caller, or 401 without a valid token and 403 when it lacks {@code role}; both audited. */
    public Caller require(String authorization, Role role) {
        dev.promoter.kit.auth.Caller caller = access.require(authorization, role);
        return new Caller(caller.name(), caller.roles());
    }

    /** Whether reads need no token ({@code pipeline.auth.open-reads}). */
    public boolean openReads() {
        return access.openReads();
    }
}
