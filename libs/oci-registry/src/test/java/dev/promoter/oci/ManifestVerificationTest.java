package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A registry that lies about what it serves or stores is caught, never trusted. */
class ManifestVerificationTest {

    static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
            + "0".repeat(64) + "\",\"size\":2},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    static final String MANIFEST_DIGEST = Names.sha256(MANIFEST);
    static final byte[] OTHER = (new String(MANIFEST, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    static final String REQUESTED = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    static final byte[] HUGE = new byte[(int) RegistryClient.MAX_MANIFEST_BYTES + 1];

    static {
        Arrays.fill(HUGE, (byte) ' ');
        HUGE[0] = '{';
        HUGE[HUGE.length - 1] = '}';
    }

    static StandIn liar;
    static RegistryClient client;

    @BeforeAll
    static void startLiar() {
        liar = StandIn.start((request, exchange) -> {
            String path = request.path();
            Map<String, String> manifestType = Map.of("Content-Type", Manifest.OCI_MANIFEST);
            switch (request.method() + " " + path) {
                case "GET /v2/shop/cart/manifests/honest" -> StandIn.respond(exchange, 200,
                        Map.of("Content-Type", Manifest.OCI_MANIFEST + "; charset=utf-8",
                                "Docker-Content-Digest", MANIFEST_DIGEST), MANIFEST);
                case "GET /v2/shop/cart/manifests/" + REQUESTED -> StandIn.respond(exchange, 200, manifestType, OTHER);
                case "GET /v2/shop/cart/manifests/lying-header" -> StandIn.respond(exchange, 200,
                        Map.of("Content-Type", Manifest.OCI_MANIFEST, "Docker-Content-Digest", REQUESTED), MANIFEST);
                case "GET /v2/shop/cart/manifests/wrong-type" -> StandIn.respond(exchange, 200,
                        Map.of("Content-Type", Manifest.OCI_INDEX), MANIFEST);
                case "GET /v2/shop/cart/manifests/huge" -> StandIn.respond(exchange, 200, manifestType, HUGE);
                case "GET /v2/shop/cart/manifests/huge-chunked" -> {
                    exchange.getResponseHeaders().add("Content-Type", Manifest.OCI_MANIFEST);
                    exchange.sendResponseHeaders(200, 0);
                    try {
                        for (int i = 0; i < 5; i++) {
                            exchange.getResponseBody().write(HUGE, 0, HUGE.length);
                        }
                    } catch (java.io.IOException expected) {
                        // The client hangs up once it has seen too much: that is the point.
                    }
                }
                case "PUT /v2/shop/cart/manifests/dev" -> StandIn.respond(exchange, 201,
                        Map.of("Docker-Content-Digest", REQUESTED, "Location", "/v2/shop/cart/manifests/" + REQUESTED),
                        new byte[0]);
                case "GET /v2/shop/cart/blobs/" + REQUESTED -> StandIn.respond(exchange, 200, Map.of(), "not it");
                default -> StandIn.respond(exchange, 404, Map.of("Content-Type", "application/json"),
                        StandIn.ociError("MANIFEST_UNKNOWN", "manifest unknown"));
            }
        });
        client = RegistryClient.forRegistry(liar.hostPort(), RegistryCredentials.anonymous());
    }

    @AfterAll
    static void stopLiar() {
        liar.close();
    }

    @Test
    void anHonestAnswerIsAcceptedWithoutContentTypeParameters() {
        Manifest manifest = client.getManifest("shop/cart", "honest");

        assertThat(manifest.digest()).isEqualTo(MANIFEST_DIGEST);
        assertThat(manifest.mediaType()).isEqualTo(Manifest.OCI_MANIFEST);
        assertThat(manifest.bytes()).isEqualTo(MANIFEST);
    }

    @Test
    void aBodyThatDoesNotHashToTheRequestedDigestIsRefused() {
        assertThatThrownBy(() -> client.getManifest("shop/cart", REQUESTED))
                .isInstanceOf(RegistryException.class)
                .hasMessage("read manifest " + REQUESTED + " in " + liar.hostPort() + "/shop/cart: the registry's body"
                        + " hashes to " + Names.sha256(OTHER) + "; refusing it");
    }

    @Test
    void retagNeverPushesABodyThatFailedVerification() {
        assertThatThrownBy(() -> client.retag("shop/cart", REQUESTED, "prod")).isInstanceOf(RegistryException.class);

        assertThat(liar.count("PUT", "/v2/shop/cart/manifests/prod")).isZero();
    }

    @Test
    void aDockerContentDigestThatDisagreesWithTheBodyIsRefused() {
        assertThatThrownBy(() -> client.getManifest("shop/cart", "lying-header"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Docker-Content-Digest says " + REQUESTED + " but the body hashes to " + MANIFEST_DIGEST);
    }

    @Test
    void aContentTypeThatDisagreesWithTheManifestsMediaTypeIsRefused() {
        assertThatThrownBy(() -> client.getManifest("shop/cart", "wrong-type"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Content-Type " + Manifest.OCI_INDEX + " disagrees with the manifest's mediaType "
                        + Manifest.OCI_MANIFEST);
    }

    @Test
    void manifestsOverFourMebibytesAreRefusedWhetherOrNotTheLengthIsDeclared() {
        assertThatThrownBy(() -> client.getManifest("shop/cart", "huge"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("larger than 4194304 bytes");
        assertThatThrownBy(() -> client.getManifest("shop/cart", "huge-chunked"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("larger than 4194304 bytes");
    }

    @Test
    void aPushThatTheRegistryStoresUnderAnotherDigestIsRefused() {
        Manifest manifest = Manifest.of(Manifest.OCI_MANIFEST, MANIFEST);

        assertThatThrownBy(() -> client.putManifest("shop/cart", "dev", manifest))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("the registry stored it as " + REQUESTED);
    }

    @Test
    void aBlobThatDoesNotHashToItsDigestIsRefused() {
        assertThatThrownBy(() -> client.getBlob("shop/cart", REQUESTED, 1024))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("the content hashes to " + Names.sha256("not it".getBytes(StandardCharsets.UTF_8)));
    }
}
