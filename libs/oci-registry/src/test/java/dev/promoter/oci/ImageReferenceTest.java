package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    static final String DIGEST = "sha256:" + "b".repeat(64);

    @Test
    void aHostWithPortIsTheRegistry() {
        ImageReference reference = ImageReference.parse("127.0.0.1:15000/shop/cart");

        assertThat(reference.registry()).isEqualTo("127.0.0.1:15000");
        assertThat(reference.repository()).isEqualTo("shop/cart");
        assertThat(reference.tag()).isEmpty();
        assertThat(reference.digest()).isEmpty();
        assertThat(reference.name()).isEqualTo("127.0.0.1:15000/shop/cart");
    }

    @Test
    void aHostWithADotOrLocalhostIsTheRegistry() {
        assertThat(ImageReference.parse("registry.local/shop/cart").registry()).isEqualTo("registry.local");
        assertThat(ImageReference.parse("localhost/shop/cart").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("ghcr.io/acme/cart").repository()).isEqualTo("acme/cart");
    }

    @Test
    void aFirstSegmentWithoutDotOrColonIsPartOfTheRepositoryOnDockerHub() {
        ImageReference reference = ImageReference.parse("shop/cart");

        assertThat(reference.registry()).isEqualTo("docker.io");
        assertThat(reference.repository()).isEqualTo("shop/cart");
        assertThat(ImageReference.parse("nginx").repository()).isEqualTo("library/nginx");
    }

    @Test
    void tagAndDigestAreSplitOffWithoutConfusingThePort() {
        ImageReference tagged = ImageReference.parse("127.0.0.1:15000/shop/cart:prod");
        ImageReference pinned = ImageReference.parse("127.0.0.1:15000/shop/cart:prod@" + DIGEST);

        assertThat(tagged.registry()).isEqualTo("127.0.0.1:15000");
        assertThat(tagged.tag()).contains("prod");
        assertThat(pinned.tag()).contains("prod");
        assertThat(pinned.digest()).contains(DIGEST);
        assertThat(pinned.toString()).isEqualTo("127.0.0.1:15000/shop/cart:prod@" + DIGEST);
        assertThat(tagged.withDigest(DIGEST).toString()).isEqualTo("127.0.0.1:15000/shop/cart@" + DIGEST);
    }

    @Test
    void invalidReferencesAreRefused() {
        assertThatThrownBy(() -> ImageReference.parse("http://127.0.0.1:15000/shop/cart"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a scheme");
        assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:15000/Shop/Cart"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid repository name 'Shop/Cart'");
        assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:15000/shop/cart@sha256:nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid digest");
    }
}
