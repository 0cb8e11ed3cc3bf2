package dev.promoter.kit.auth;

import dev.promoter.kit.problem.ProblemException;

/**
 * A request refused for who sent it: {@code 401} (no token, or one that is not valid) or {@code 403} (a valid token
 * without the role). Answered as problem+json and written to the audit log by {@link AccessAudit}; it carries what the
 * audit needs and never the token.
 */
public final class AccessRefused extends ProblemException {

    private final Caller caller;
    private final Role missing;
    private final String reason;

    private AccessRefused(int status, String title, String detail, Caller caller, Role missing, String reason) {
        super(status, title, detail);
        this.caller = caller;
        this.missing = missing;
        this.reason = reason;
    }

    /** No token, or one that is not valid; {@code reason} says which, for the audit log (never the token). */
    static AccessRefused unauthenticated(Role needed, String reason) {
        return new AccessRefused(401, "Unauthorized", "this call needs the role '" + needed.id() + "': send"
                + " 'Authorization: Bearer <token>' with a token configured for this service or one from the"
                + " configured identity provider (" + reason + ")", null, needed, reason);
    }

    /** A known caller without the role. */
    static AccessRefused forbidden(Caller caller, Role needed) {
        return new AccessRefused(403, "Forbidden", "this call needs the role '" + needed.id() + "'; caller '"
                + caller.name() + "' has " + caller.rolesText(), caller, needed, "missing role");
    }

    /** The caller when one was recognised (403), empty for a 401. */
    public java.util.Optional<Caller> caller() {
        return java.util.Optional.ofNullable(caller);
    }

    /** The role the call needs. */
    public Role missing() {
        return missing;
    }

    /** Why: {@code no bearer token}, {@code unknown token}, {@code token expired}, {@code missing role}, … */
    public String reason() {
        return reason;
    }
}
