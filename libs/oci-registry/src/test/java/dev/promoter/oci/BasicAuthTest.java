package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A registry that asks for HTTP Basic credentials (a {@code Basic} challenge on 401). */
class BasicAuthTest {

    static final String PASSWORD = "pa55-w0rd-secret";
    static final String ALICE = "Basic " + Base64.getEncoder()
            .encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    static StandIn registry;

    @BeforeAll
    static void startRegistry() {
        registry = StandIn.start((request, exchange) -> {
            if (!ALICE.equals(request.authorization())) {
                StandIn.respond(exchange, 401, Map.of("Content-Type", "application/json",
                                "WWW-Authenticate", "Basic realm=\"Registry Realm\""),
                        StandIn.ociError("UNAUTHORIZED", "authentication required"));
                return;
            }
            StandIn.respond(exchange, 200, Map.of("Content-Type", Manifest.OCI_MANIFEST,
                    "Docker-Content-Digest", ManifestVerificationTest.MANIFEST_DIGEST), ManifestVerificationTest.MANIFEST);
        });
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private long before;

    @BeforeEach
    void mark() {
        before = registry.requests().size();
    }

    @Test
    void credentialsFollowTheChallengeOnceAndAreThenSentUpFront() {
        RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.basic("alice", PASSWORD));

        assertThat(client.head("shop/cart", "prod")).map(ManifestRef::digest).contains(ManifestVerificationTest.MANIFEST_DIGEST);
        assertThat(client.getManifest("shop/cart", "prod").digest()).isEqualTo(ManifestVerificationTest.MANIFEST_DIGEST);

        assertThat(registry.requests().subList((int) before, registry.requests().size()))
                .extracting(r -> r.method() + " " + (r.authorization() == null ? "-" : r.authorization()))
                .containsExactly("HEAD -", "HEAD " + ALICE, "GET " + ALICE);
    }

    @Test
    void aWrongPasswordIsAClear401WithoutThePassword() {
        String wrong = "not-the-Pa55word";
        RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.basic("alice", wrong));

        assertThatThrownBy(() -> client.getManifest("shop/cart", "prod"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.isUnauthorized()).isTrue();
                    assertThat(e.errorCode()).contains("UNAUTHORIZED");
                    assertThat(e.getMessage()).isEqualTo("not authorized to read tag prod in " + registry.hostPort()
                            + "/shop/cart as user 'alice' (401 UNAUTHORIZED: authentication required)");
                    assertThat(e.toString()).doesNotContain(wrong);
                });
        // One retry with the credentials, never a loop.
        assertThat(registry.requests().size() - before).isEqualTo(2);
    }

    @Test
    void anonymousClientsAreToldTheyLackCredentials() {
        RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());

        assertThatThrownBy(() -> client.getManifest("shop/cart", "prod"))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("not authorized to read tag prod in " + registry.hostPort() + "/shop/cart anonymously");
        assertThat(registry.requests().size() - before).isEqualTo(1);
    }

    @Test
    void secretsNeverAppearInToString() {
        RegistryCredentials credentials = RegistryCredentials.basic("alice", PASSWORD);
        RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), credentials);

        assertThat(credentials.toString()).contains("alice").doesNotContain(PASSWORD);
        assertThat(client.toString()).isEqualTo("RegistryClient[http://" + registry.hostPort() + "/v2/, as user 'alice']");
    }
}
