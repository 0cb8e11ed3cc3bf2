package dev.promoter.kit.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * People's and CI's callers from an identity provider: JWTs signed with one of the issuer's keys (its JWKS), checked
 * offline with jose4j (the library under SmallRye JWT). The token must name the configured issuer and audience, be
 * signed with an asymmetric algorithm ({@code alg: none} and shared-secret HMAC are refused) and not be expired. The
 * person is one claim ({@code preferred_username}, {@code email}), the groups another; groups map to roles by config.
 *
 * <p>The JWKS is fetched on a thread of its own, at start, every {@code jwks-refresh}, and at once (at most every
 * 10 s) when a token names a key it does not have, so verifying never waits on the network.
 */
final class OidcTokens {

    private static final Logger LOG = Logger.getLogger(OidcTokens.class);
    private static final int MAX_JWKS_BYTES = 512 * 1024;
    private static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    private static final AlgorithmConstraints ASYMMETRIC = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA512, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);

    private final String issuer;
    private final String audience;
    private final URI jwksUrl;
    private final String personClaim;
    private final String groupsClaim;
    private final Map<String, Set<Role>> rolesByGroup;
    private final int clockSkewSeconds;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<JwtConsumer> consumer = new AtomicReference<>();
    private final AtomicLong lastFetchNanos = new AtomicLong(System.nanoTime() - MIN_REFETCH.toNanos() * 2);
    private ScheduledExecutorService fetcher;

    OidcTokens(String issuer, String audience, URI jwksUrl, String personClaim, String groupsClaim,
               Map<String, String> groupRoles, Duration clockSkew) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwksUrl = jwksUrl;
        this.personClaim = personClaim;
        this.groupsClaim = groupsClaim;
        this.clockSkewSeconds = Math.toIntExact(clockSkew.toSeconds());
        Map<String, Set<Role>> roles = new HashMap<>();
        groupRoles.forEach((group, list) -> {
            try {
                roles.put(group, Role.parseList(list));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pipeline.auth.oidc.group-roles." + group + ": " + e.getMessage(), e);
            }
        });
        this.rolesByGroup = Map.copyOf(roles);
    }

    /** From config; empty when OIDC is not configured (no issuer and no JWKS URL). */
    static java.util.Optional<OidcTokens> of(AuthConfig.Oidc config) {
        if (config.issuer().isEmpty() && config.jwksUrl().isEmpty()) {
            return java.util.Optional.empty();
        }
        if (config.issuer().isEmpty() || config.jwksUrl().isEmpty() || config.audience().isEmpty()) {
            throw new IllegalArgumentException("OIDC tokens need pipeline.auth.oidc.issuer, pipeline.auth.oidc.jwks-url"
                    + " and pipeline.auth.oidc.audience together");
        }
        OidcTokens tokens = new OidcTokens(config.issuer().get(), config.audience().get(), config.jwksUrl().get(),
                config.personClaim(), config.groupsClaim(), config.groupRoles(), config.clockSkew());
        tokens.startFetching(config.jwksRefresh());
        return java.util.Optional.of(tokens);
    }

    /** Fetches the JWKS now and then every {@code interval}, on a daemon thread of its own. */
    void startFetching(Duration interval) {
        fetcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "oidc-jwks");
            thread.setDaemon(true);
            return thread;
        });
        fetcher.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a JWKS was fetched, so tokens can be checked. */
    boolean ready() {
        return consumer.get() != null;
    }

    /** Fetches the JWKS and checks tokens against its keys from now on; throws when it cannot. */
    void refresh() throws IOException, InterruptedException, JoseException {
        lastFetchNanos.set(System.nanoTime());
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_JWKS_BYTES + 1);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the JWKS URL answered " + response.statusCode());
        }
        if (body.length > MAX_JWKS_BYTES) {
            throw new IOException("the JWKS is larger than " + MAX_JWKS_BYTES + " bytes");
        }
        List<JsonWebKey> keys = new JsonWebKeySet(new String(body, StandardCharsets.UTF_8)).getJsonWebKeys();
        consumer.set(new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setJwsAlgorithmConstraints(ASYMMETRIC)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys))
                .build());
        LOG.infof("OIDC: %d signing keys of %s fetched from %s", keys.size(), issuer, jwksUrl);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (IOException | JoseException | RuntimeException e) {
            LOG.warnf("OIDC: could not fetch the signing keys from %s (%s); tokens are checked against the last ones"
                    + " fetched", jwksUrl, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks for the JWKS again soon, unless it was fetched in the last 10 s. */
    private void refetchSoon() {
        long last = lastFetchNanos.get();
        if (fetcher != null && System.nanoTime() - last > MIN_REFETCH.toNanos()
                && lastFetchNanos.compareAndSet(last, System.nanoTime())) {
            fetcher.execute(this::refreshQuietly);
        }
    }

    /** The caller a valid token names, with the roles of its groups; otherwise an {@link AccessRefused} 401. */
    Caller verify(String jwt, Role needed) {
        JwtConsumer current = consumer.get();
        if (current == null) {
            refetchSoon();
            throw AccessRefused.unauthenticated(needed, "the identity provider's signing keys are not fetched yet");
        }
        JwtClaims claims;
        try {
            claims = current.processToClaims(jwt);
        } catch (InvalidJwtException e) {
            throw AccessRefused.unauthenticated(needed, reason(e));
        }
        String person;
        Set<String> groups = new LinkedHashSet<>();
        try {
            person = claims.getClaimValueAsString(personClaim);
            if (claims.isClaimValueStringList(groupsClaim)) {
                groups.addAll(claims.getStringListClaimValue(groupsClaim));
            } else if (claims.isClaimValueString(groupsClaim)) {
                groups.add(claims.getStringClaimValue(groupsClaim));
            }
        } catch (MalformedClaimException e) {
            throw AccessRefused.unauthenticated(needed, "token claims malformed");
        }
        if (person == null || person.isBlank()) {
            throw AccessRefused.unauthenticated(needed, "token has no " + personClaim + " claim");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        groups.forEach(group -> roles.addAll(rolesByGroup.getOrDefault(group, Set.of())));
        return new Caller(person, roles, groups, Caller.AuthenticatedBy.OIDC);
    }

    private String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "token expired";
        } else if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "wrong issuer";
        } else if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "wrong audience";
        } else if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "signature not valid";
        } else if (e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "token not signed";
        } else if (causedBy(e, UnresolvableKeyException.class)) {
            refetchSoon();
            return "signing key not known";
        } else if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "token not yet valid";
        }
        return "token not valid";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
