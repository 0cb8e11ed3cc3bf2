package dev.promoter.kit.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The one way a resource says which role it needs: {@code Caller caller = access.require(authorization, Role.OPERATOR);}
 * as the first line of the method, before the body is looked at. A missing or unknown token is a {@code 401}, a token
 * without the role a {@code 403}; both are problem+json and audited ({@link AccessAudit}).
 *
 * <p>A bearer token is first looked up among the service's static tokens; one that is not found and looks like a JWT
 * is verified against the configured OIDC issuer ({@code pipeline.auth.oidc.*}, off unless configured). Every {@code GET} needs {@link Role#VIEWER} unless
 * {@code pipeline.auth.open-reads=true}, where a read without a token is the {@link Caller#anonymous() anonymous}
 * caller (a token that is sent is still checked).
 *
 * <p>Each service makes one, from its own {@code <service>.api-tokens.*} and {@code <service>.api-roles.*}.
 */
public final class Access {

    private static final Logger LOG = Logger.getLogger(Access.class);
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final StaticTokens statics;
    private final Optional<OidcTokens> oidc;
    private final boolean openReads;

    Access(StaticTokens statics, Optional<OidcTokens> oidc, boolean openReads) {
        this.statics = statics;
        this.oidc = oidc;
        this.openReads = openReads;
    }

    /**
     * The access of one service.
     *
     * @param service   the service's config prefix ({@code build}, {@code promote}, …), for the start-up warnings
     * @param apiTokens caller name → static token ({@code <service>.api-tokens.<caller>})
     * @param apiRoles  caller name → comma-separated roles ({@code <service>.api-roles.<caller>})
     */
    public static Access of(String service, Map<String, String> apiTokens, Map<String, String> apiRoles,
                            AuthConfig config) {
        StaticTokens statics = new StaticTokens(apiTokens, apiRoles);
        if (statics.isEmpty()) {
            LOG.warnf("no %s.api-tokens configured: every call that needs a role is refused with 401", service);
        }
        Set<String> powerless = statics.withoutRoles(apiTokens);
        if (!powerless.isEmpty()) {
            LOG.warnf("callers %s have a token but no %s.api-roles: every call of theirs is refused with 403",
                    powerless, service);
        }
        Optional<OidcTokens> oidc = OidcTokens.of(config.oidc());
        oidc.ifPresent(o -> LOG.infof("%s accepts OIDC bearer tokens of %s", service, config.oidc().issuer().get()));
        return new Access(statics, oidc, config.openReads());
    }

    /**
     * The caller of this request if it may do what {@code needed} allows; otherwise throws {@link AccessRefused}
     * ({@code 401} or {@code 403}), which the service answers with a problem and writes to the audit log.
     */
    public Caller require(String authorization, Role needed) {
        if (needed == Role.VIEWER && openReads && (authorization == null || authorization.isBlank())) {
            return Caller.anonymous();
        }
        return requireToken(authorization, needed);
    }

    /** As {@link #require}, but never anonymous, whatever {@code open-reads} says. */
    Caller requireToken(String authorization, Role needed) {
        Caller caller = authenticate(authorization, needed);
        if (!caller.has(needed)) {
            throw AccessRefused.forbidden(caller, needed);
        }
        return caller;
    }

    /** Whether {@code GET}s need no token. */
    public boolean openReads() {
        return openReads;
    }

    private Caller authenticate(String authorization, Role needed) {
        if (authorization == null || authorization.isBlank()) {
            throw AccessRefused.unauthenticated(needed, "no bearer token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AccessRefused.unauthenticated(needed, "not a bearer token");
        }
        Optional<Caller> known = statics.caller(authorization);
        if (known.isPresent()) {
            return known.get();
        }
        String token = authorization.substring(7).trim();
        if (oidc.isPresent() && looksLikeJwt(token)) {
            return oidc.get().verify(token, needed);
        }
        throw AccessRefused.unauthenticated(needed, "unknown token");
    }

    /** Three base64url parts separated by dots, as a signed JWT is; anything else can only be a static token. */
    private static boolean looksLikeJwt(String token) {
        return JWT.matcher(token).matches();
    }
}
