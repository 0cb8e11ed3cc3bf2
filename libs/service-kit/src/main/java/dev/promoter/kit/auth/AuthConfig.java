package dev.promoter.kit.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call a service, the same settings in all four (environment {@code PIPELINE_AUTH_…}). Static tokens and their
 * roles are per service ({@code <service>.api-tokens.<caller>}, {@code <service>.api-roles.<caller>}); see
 * docs/security.md.
 */
@ConfigMapping(prefix = "pipeline.auth")
public interface AuthConfig {

    /** Let every {@code GET} of the APIs through without a token, as before roles existed. Off: reads need viewer. */
    @WithDefault("false")
    boolean openReads();

    /** Let {@code /q/metrics} through without a token (Prometheus scrapes it); off: it needs viewer. */
    @WithDefault("true")
    boolean openMetrics();

    /** Let {@code /q/openapi} (the API's schema, no data) through without a token; off: it needs viewer. */
    @WithDefault("true")
    boolean openOpenapi();

    /** OIDC bearer tokens (JWTs), off unless an issuer and its JWKS URL are set. */
    Oidc oidc();

    /** OIDC bearer tokens: JWTs signed by the issuer's keys, checked offline against its JWKS. */
    interface Oidc {
        /** The {@code iss} every token must carry; with {@link #jwksUrl()} it turns OIDC tokens on. */
        Optional<String> issuer();

        /** Where the issuer publishes its signing keys (a JWKS document); fetched at start and every {@link #jwksRefresh()}. */
        Optional<URI> jwksUrl();

        /** The {@code aud} every token must carry (this pipeline's client id at the identity provider). */
        Optional<String> audience();

        /** The claim naming the person, recorded as the actor: {@code preferred_username}, {@code email}, … */
        @WithDefault("preferred_username")
        String personClaim();

        /** The claim holding the person's groups (a list of strings). */
        @WithDefault("groups")
        String groupsClaim();

        /** Roles by group: {@code pipeline.auth.oidc.group-roles."release-managers"=releaser,approver}. */
        Map<String, String> groupRoles();

        /** How far the token's {@code exp} and {@code nbf} may be off this machine's clock. */
        @WithDefault("30s")
        Duration clockSkew();

        /** How often the JWKS is fetched again (and at once, at most every 10 s, when a token names an unknown key). */
        @WithDefault("10m")
        Duration jwksRefresh();
    }
}
