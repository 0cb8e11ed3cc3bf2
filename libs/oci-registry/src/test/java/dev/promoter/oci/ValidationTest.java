package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Names, tags and digests outside the distribution spec's grammar are refused before anything is sent. */
class ValidationTest {

    static final String DIGEST = "sha256:" + "a".repeat(64);
    static StandIn registry;
    static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = StandIn.start((request, exchange) -> StandIn.respond(exchange, 500, Map.of(), "should not be asked"));
        client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
    }

    @AfterAll
    static void stop() {
        assertThat(registry.requests()).isEmpty();
        registry.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop/cart", "shop//cart", "/shop/cart", "shop/cart/", "shop/-cart", "shop/cart_", "shop/ca rt",
            "shop/cart:prod", "shop.", ""})
    void invalidRepositoriesAreRefused(String repository) {
        assertThatThrownBy(() -> client.head(repository, "prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid repository name '" + repository + "'");
        assertThatThrownBy(() -> client.retagAsync(repository, DIGEST, "prod")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.tags(repository)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-prod", ".prod", "pr od", "prod/1", "é"})
    void invalidTagsAreRefused(String tag) {
        assertThatThrownBy(() -> client.retag("shop/cart", DIGEST, tag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid tag '" + tag + "'");
        assertThatThrownBy(() -> new ImageBuilder(client).push("shop/cart", tag)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsLongerThan128CharactersAreRefused() {
        assertThatThrownBy(() -> client.getManifest("shop/cart", "t".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> invalidDigests() {
        return Stream.of("sha256:abc", "sha256:" + "A".repeat(64), "sha256:" + "a".repeat(63) + "g",
                "sha256:" + "a".repeat(65), "sha512:" + "a".repeat(128), "md5:" + "0".repeat(32));
    }

    @ParameterizedTest
    @MethodSource("invalidDigests")
    void invalidDigestsAreRefused(String digest) {
        assertThatThrownBy(() -> client.retag("shop/cart", digest, "prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid digest '" + digest + "': expected sha256: followed by 64 lowercase hex characters");
        assertThatThrownBy(() -> client.getManifest("shop/cart", digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.getBlob("shop/cart", digest, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.deleteManifest("shop/cart", digest)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTagIsNotADigestForRetag() {
        assertThatThrownBy(() -> client.retag("shop/cart", "latest", "prod"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid digest 'latest'");
    }

    @Test
    void aManifestCanOnlyBePushedUnderItsOwnDigest() {
        Manifest manifest = Manifest.of(Manifest.OCI_MANIFEST, ManifestVerificationTest.MANIFEST);

        assertThatThrownBy(() -> client.putManifest("shop/cart", DIGEST, manifest))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a manifest can only be pushed by its own digest");
    }

    @Test
    void validNamesOfTheSpecPassValidation() {
        assertThatCode(() -> {
            Names.requireRepository("a");
            Names.requireRepository("shop/cart");
            Names.requireRepository("my-org/sub.group/app__name/x--y");
            Names.requireTag("_");
            Names.requireTag("v1.2.3-rc.1_build");
            Names.requireTag("T".repeat(128));
            Names.requireDigest(DIGEST);
        }).doesNotThrowAnyException();
    }
}
