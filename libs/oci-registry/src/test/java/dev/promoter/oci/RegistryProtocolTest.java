package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The requests the client sends, seen from a stand-in registry: how many, in which order, with what. */
class RegistryProtocolTest {

    static final byte[] MANIFEST = ManifestVerificationTest.MANIFEST;
    static final String DIGEST = ManifestVerificationTest.MANIFEST_DIGEST;

    @Test
    void retagIsExactlyOneGetByDigestAndOnePutOfTheSameBytesWithTheSameType() {
        try (StandIn registry = StandIn.start((request, exchange) -> {
            if (request.method().equals("GET")) {
                StandIn.respond(exchange, 200, Map.of("Content-Type", Manifest.OCI_MANIFEST,
                        "Docker-Content-Digest", DIGEST), MANIFEST);
            } else {
                StandIn.respond(exchange, 201, Map.of("Docker-Content-Digest", Names.sha256(request.body()),
                        "Location", "/v2/shop/cart/manifests/" + Names.sha256(request.body())), new byte[0]);
            }
        })) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());

            RetagResult result = client.retag("shop/cart", DIGEST, "prod");

            assertThat(result.digest()).isEqualTo(DIGEST);
            List<StandIn.Request> requests = registry.requests();
            assertThat(requests).extracting(r -> r.method() + " " + r.uri()).containsExactly(
                    "GET /v2/shop/cart/manifests/" + DIGEST, "PUT /v2/shop/cart/manifests/prod");
            assertThat(requests.get(0).headers().getFirst("Accept")).isEqualTo(String.join(", ",
                    "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.list.v2+json",
                    "application/vnd.docker.distribution.manifest.v2+json"));
            assertThat(requests.get(1).body()).isEqualTo(MANIFEST);
            assertThat(requests.get(1).headers().getFirst("Content-Type")).isEqualTo(Manifest.OCI_MANIFEST);
        }
    }

    @Test
    void headFallsBackToAGetOnlyWhenTheRegistryOmitsTheDigestHeader() {
        try (StandIn registry = StandIn.start((request, exchange) ->
                StandIn.respond(exchange, 200, Map.of("Content-Type", Manifest.OCI_MANIFEST), MANIFEST))) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());

            ManifestRef ref = client.head("shop/cart", "bare").orElseThrow();

            assertThat(ref).isEqualTo(new ManifestRef(DIGEST, Manifest.OCI_MANIFEST, MANIFEST.length));
            assertThat(registry.requests()).extracting(StandIn.Request::method).containsExactly("HEAD", "GET");
        }
    }

    @Test
    void aReadRacingATagWriteIsRepeatedButAWriteIsNot() {
        java.util.concurrent.atomic.AtomicInteger heads = new java.util.concurrent.atomic.AtomicInteger();
        try (StandIn registry = StandIn.start((request, exchange) -> {
            if (request.method().equals("HEAD") && heads.incrementAndGet() == 1) {
                // What Distribution's filesystem storage answers while the tag's link file is half written.
                StandIn.respond(exchange, 500, Map.of("Content-Type", "application/json"),
                        StandIn.ociError("UNKNOWN", "invalid checksum digest format"));
            } else if (request.method().equals("HEAD")) {
                StandIn.respond(exchange, 200, Map.of("Content-Type", Manifest.OCI_MANIFEST, "Docker-Content-Digest", DIGEST,
                        "Content-Length", Integer.toString(MANIFEST.length)), new byte[0]);
            } else {
                StandIn.respond(exchange, 500, Map.of(), new byte[0]);
            }
        })) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());

            assertThat(client.head("shop/cart", "test")).map(ManifestRef::digest).contains(DIGEST);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.putManifest("shop/cart", "test",
                            Manifest.of(Manifest.OCI_MANIFEST, MANIFEST)))
                    .isInstanceOf(RegistryException.class);
            assertThat(registry.requests()).extracting(StandIn.Request::method).containsExactly("HEAD", "HEAD", "PUT");
        }
    }

    @Test
    void tagsFollowsLinkPagination() {
        try (StandIn registry = StandIn.start((request, exchange) -> {
            if (request.uri().contains("last=b")) {
                StandIn.respond(exchange, 200, Map.of("Content-Type", "application/json"),
                        "{\"name\":\"shop/cart\",\"tags\":[\"c\"]}");
            } else {
                StandIn.respond(exchange, 200, Map.of("Content-Type", "application/json",
                                "Link", "</v2/shop/cart/tags/list?last=b&n=2>; rel=\"next\""),
                        "{\"name\":\"shop/cart\",\"tags\":[\"a\",\"b\"]}");
            }
        })) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());

            assertThat(client.tags("shop/cart")).containsExactly("a", "b", "c");
            assertThat(registry.requests()).extracting(StandIn.Request::uri)
                    .containsExactly("/v2/shop/cart/tags/list", "/v2/shop/cart/tags/list?last=b&n=2");
        }
    }

    @Test
    void pushBlobSendsNothingWhenTheRepositoryHasTheBlob() {
        try (StandIn registry = StandIn.start((request, exchange) -> StandIn.respond(exchange, 200, Map.of(), new byte[0]))) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
            byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);

            assertThat(client.pushBlob("shop/cart", blob)).isEqualTo(Names.sha256(blob));
            assertThat(registry.requests()).extracting(r -> r.method() + " " + r.uri())
                    .containsExactly("HEAD /v2/shop/cart/blobs/" + Names.sha256(blob));
        }
    }

    @Test
    void pushBlobUploadsMonolithicallyToTheRelativeLocationWithTheDigest() {
        byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);
        String digest = Names.sha256(blob);
        try (StandIn registry = StandIn.start((request, exchange) -> {
            switch (request.method()) {
                case "HEAD" -> StandIn.respond(exchange, 404, Map.of(), new byte[0]);
                case "POST" -> StandIn.respond(exchange, 202,
                        Map.of("Location", "/v2/shop/cart/blobs/uploads/u-1?_state=abc"), new byte[0]);
                default -> StandIn.respond(exchange, 201, Map.of("Docker-Content-Digest", Names.sha256(request.body())),
                        new byte[0]);
            }
        })) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());

            assertThat(client.pushBlob("shop/cart", blob)).isEqualTo(digest);
            List<StandIn.Request> requests = registry.requests();
            assertThat(requests).extracting(r -> r.method() + " " + r.uri()).containsExactly(
                    "HEAD /v2/shop/cart/blobs/" + digest,
                    "POST /v2/shop/cart/blobs/uploads/",
                    "PUT /v2/shop/cart/blobs/uploads/u-1?_state=abc&digest=" + digest.replace(":", "%3A"));
            assertThat(requests.get(2).body()).isEqualTo(blob);
            assertThat(requests.get(2).headers().getFirst("Content-Type")).isEqualTo("application/octet-stream");
        }
    }

    @Test
    void blobRedirectsAreFollowedWithoutSendingCredentialsToAnotherHost() {
        byte[] blob = "layer content".getBytes(StandardCharsets.UTF_8);
        String digest = Names.sha256(blob);
        try (StandIn storage = StandIn.start((request, exchange) -> StandIn.respond(exchange, 200, Map.of(), blob));
             StandIn registry = StandIn.start((request, exchange) -> {
                 if (!BasicAuthTest.ALICE.equals(request.authorization())) {
                     StandIn.respond(exchange, 401, Map.of("WWW-Authenticate", "Basic realm=\"registry\""),
                             StandIn.ociError("UNAUTHORIZED", "authentication required"));
                 } else {
                     StandIn.respond(exchange, 307, Map.of("Location", storage.url() + "/bucket/" + digest), new byte[0]);
                 }
             })) {
            RegistryClient client = RegistryClient.forRegistry(registry.hostPort(),
                    RegistryCredentials.basic("alice", BasicAuthTest.PASSWORD));

            assertThat(client.getBlob("shop/cart", digest, 1024)).isEqualTo(blob);
            assertThat(storage.requests()).singleElement().satisfies(request -> {
                assertThat(request.uri()).isEqualTo("/bucket/" + digest);
                assertThat(request.authorization()).isNull();
            });
        }
    }
}
