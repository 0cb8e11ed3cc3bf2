package dev.promoter.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OIDC bearer tokens against a JWKS served on loopback, signed with RSA keys made here. */
class OidcTokensTest {

    private static final String ISSUER = "https://idp.example.com/realms/pipeline";
    private static final String AUDIENCE = "promoter";
    // RSA keys take a while to make: one for the issuer, one more for the tests that need an impostor or a rotation.
    private static final RsaJsonWebKey ISSUER_KEY = rsaKey("key-1");
    private static final RsaJsonWebKey SAME_ID_OTHER_KEY = rsaKey("key-1");
    private static final RsaJsonWebKey SECOND_KEY = rsaKey("key-2");

    private final AtomicReference<String> jwks = new AtomicReference<>();
    private HttpServer server;
    private RsaJsonWebKey key;
    private OidcTokens oidc;
    private Access access;

    @BeforeEach
    void serveJwks() throws Exception {
        key = ISSUER_KEY;
        jwks.set(new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        oidc = new OidcTokens(ISSUER, AUDIENCE, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"),
                "preferred_username", "groups", Map.of("release-managers", "releaser,approver", "sre", "operator"),
                Duration.ofSeconds(30));
        oidc.refresh();
        access = new Access(new StaticTokens(Map.of("jenkins", "jenkins-token"), Map.of("jenkins", "reporter")),
                java.util.Optional.of(oidc), false);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aValidTokenNamesThePersonAndTheRolesOfTheirGroups() {
        Caller ada = access.require("Bearer " + token(key, claims -> { }), Role.APPROVER);
        assertThat(ada.name()).isEqualTo("ada");
        assertThat(ada.groups()).containsExactly("release-managers");
        assertThat(ada.roles()).isEqualTo(Set.of(Role.RELEASER, Role.APPROVER));
        assertThat(ada.authenticatedBy()).isEqualTo(Caller.AuthenticatedBy.OIDC);
        refused(token(key, claims -> { }), Role.OPERATOR, 403, "missing role");
    }

    @Test
    void staticTokensKeepWorkingBesideOidc() {
        assertThat(access.require("Bearer jenkins-token", Role.REPORTER).name()).isEqualTo("jenkins");
        refused("not-a-jwt-nor-a-known-token", Role.VIEWER, 401, "unknown token");
    }

    @Test
    void theClaimNamingThePersonIsConfigurable() throws Exception {
        OidcTokens byEmail = new OidcTokens(ISSUER, AUDIENCE, URI.create("http://127.0.0.1:" + server.getAddress()
                .getPort() + "/jwks"), "email", "roles-groups", Map.of("sre", "operator"), Duration.ofSeconds(30));
        byEmail.refresh();
        Caller caller = byEmail.verify(token(key, claims -> {
            claims.setClaim("email", "ada@example.com");
            claims.setStringListClaim("roles-groups", "sre");
        }), Role.OPERATOR);
        assertThat(caller.name()).isEqualTo("ada@example.com");
        assertThat(caller.roles()).containsExactly(Role.OPERATOR);
    }

    @Test
    void anExpiredTokenIsRefused() {
        refused(token(key, claims -> claims.setExpirationTimeMinutesInTheFuture(-5)), Role.VIEWER, 401, "token expired");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        refused(token(key, claims -> claims.setIssuer("https://evil.example.com")), Role.VIEWER, 401, "wrong issuer");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        refused(token(key, claims -> claims.setAudience("another-app")), Role.VIEWER, 401, "wrong audience");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        refused(token(SAME_ID_OTHER_KEY, claims -> { }), Role.VIEWER, 401, "signature not valid");
        refused(token(SECOND_KEY, claims -> { }), Role.VIEWER, 401, "signing key not known");
    }

    @Test
    void anUnsignedOrHmacSignedTokenIsRefused() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims().toJson());
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        refused(none.getCompactSerialization(), Role.VIEWER, 401, null);

        // The classic confusion: HS256 keyed with the issuer's public key, which anyone can read.
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims().toJson());
        hmac.setKeyIdHeaderValue("key-1");
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(key.getPublicKey().getEncoded()));
        hmac.setDoKeyValidation(false);
        refused(hmac.getCompactSerialization(), Role.VIEWER, 401, null);
    }

    @Test
    void aTokenWithoutThePersonClaimIsRefused() {
        refused(token(key, claims -> claims.unsetClaim("preferred_username")), Role.VIEWER, 401,
                "token has no preferred_username claim");
    }

    @Test
    void aNewKeyOfTheIssuerIsFetchedAgainAfterItWasFirstSeen() throws Exception {
        RsaJsonWebKey rotated = SECOND_KEY;
        jwks.set(new JsonWebKeySet(key, rotated).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        refused(token(rotated, claims -> { }), Role.VIEWER, 401, "signing key not known");
        oidc.refresh();
        assertThat(access.require("Bearer " + token(rotated, claims -> { }), Role.VIEWER).name()).isEqualTo("ada");
    }

    @Test
    void aJwtIsAnUnknownTokenWhenOidcIsNotConfigured() {
        Access staticOnly = new Access(new StaticTokens(Map.of(), Map.of()), java.util.Optional.empty(), false);
        assertThatThrownBy(() -> staticOnly.require("Bearer " + token(key, claims -> { }), Role.VIEWER))
                .isInstanceOfSatisfying(AccessRefused.class, e -> assertThat(e.reason()).isEqualTo("unknown token"));
    }

    @Test
    void anUnknownRoleInTheGroupMappingStopsTheStart() {
        assertThatThrownBy(() -> new OidcTokens(ISSUER, AUDIENCE, URI.create("http://127.0.0.1:1/jwks"),
                "preferred_username", "groups", Map.of("sre", "root"), Duration.ofSeconds(30)))
                .hasMessageContaining("pipeline.auth.oidc.group-roles.sre: unknown role 'root'");
    }

    private void refused(String token, Role needed, int status, String reason) {
        assertThatThrownBy(() -> access.require("Bearer " + token, needed))
                .isInstanceOfSatisfying(AccessRefused.class, e -> {
                    assertThat(e.toProblem().status()).isEqualTo(status);
                    if (reason != null) {
                        assertThat(e.reason()).isEqualTo(reason);
                    }
                    assertThat(e.getMessage()).doesNotContain(token);
                });
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject("f7c1a0e2");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setClaim("preferred_username", "ada");
        claims.setStringListClaim("groups", "release-managers");
        return claims;
    }

    private static String token(RsaJsonWebKey signer, Consumer<JwtClaims> edit) {
        JwtClaims claims = claims();
        edit.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey rsaKey(String id) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(id);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
