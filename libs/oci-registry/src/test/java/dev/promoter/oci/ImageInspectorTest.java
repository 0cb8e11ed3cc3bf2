package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.stack.OciRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the image checks of the test service read, from images pushed to a real registry. */
class ImageInspectorTest {

    static final Map<String, String> LABELS = Map.of(
            "org.opencontainers.image.revision", "3f2a9c1",
            "org.opencontainers.image.source", "https://example.com/shop/cart");

    @TempDir
    static Path stateDir;
    static OciRegistry registry;
    static RegistryClient client;
    static ImageInspector inspector;

    @BeforeAll
    static void startRegistry() {
        registry = TestRegistry.start(stateDir);
        client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
        inspector = new ImageInspector(client);
    }

    @AfterAll
    static void stopRegistry() {
        registry.stop();
    }

    private static ImageBuilder cart(String version) {
        return new ImageBuilder(client).file("/app/version.txt", version).labels(LABELS).user("1000");
    }

    @Test
    void anImageShowsItsLabelsUserPlatformAndSizes() {
        ImageBuilder builder = cart("1.0.0");
        ImageBuilder.BuiltImage built = builder.build(Platform.LINUX_AMD64);
        String digest = builder.push("shop/cart", "build-1");

        ImageInfo info = inspector.inspect("shop/cart", digest);

        assertThat(info.isIndex()).isFalse();
        assertThat(info.digest()).isEqualTo(digest);
        assertThat(info.mediaType()).isEqualTo(Manifest.OCI_MANIFEST);
        assertThat(info.size()).isEqualTo(built.manifest().size());
        PlatformImage image = info.image();
        assertThat(image.digest()).isEqualTo(digest);
        assertThat(image.labels()).isEqualTo(LABELS);
        assertThat(image.label("org.opencontainers.image.revision")).contains("3f2a9c1");
        assertThat(image.user()).isEqualTo("1000");
        assertThat(image.runsAsRoot()).isFalse();
        assertThat(image.platform()).isEqualTo(Platform.LINUX_AMD64);
        assertThat(image.configDigest()).isEqualTo(built.configDigest());
        assertThat(image.configSize()).isEqualTo(client.getBlob("shop/cart", built.configDigest(), 1 << 20).length);
        assertThat(image.layerSizes()).containsExactly(
                (long) client.getBlob("shop/cart", built.layerDigest(), 1 << 20).length);
        assertThat(image.totalSize()).isEqualTo(built.config().length + built.layer().length);
    }

    @Test
    void anImageWithoutUserRunsAsRootAndMayHaveNoLabels() {
        String digest = new ImageBuilder(client).file("/app/version.txt", "0.1").push("shop/rooted", "build-1");

        PlatformImage image = inspector.inspect("shop/rooted", digest).image();

        assertThat(image.user()).isEmpty();
        assertThat(image.runsAsRoot()).isTrue();
        assertThat(image.labels()).isEmpty();
    }

    @Test
    void anIndexListsEachPlatformImageWithItsOwnConfig() {
        String index = cart("2.0.0").pushIndex("shop/multi", "build-2");

        ImageInfo info = inspector.inspect("shop/multi", index);

        assertThat(info.isIndex()).isTrue();
        assertThat(info.mediaType()).isEqualTo(Manifest.OCI_INDEX);
        assertThat(info.platforms()).containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        assertThat(info.platforms()).extracting(Platform::toString).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(info.images()).extracting(PlatformImage::digest).doesNotHaveDuplicates().doesNotContain(index);
        assertThat(info.images()).allSatisfy(image -> {
            assertThat(image.labels()).isEqualTo(LABELS);
            assertThat(image.user()).isEqualTo("1000");
            assertThat(image.mediaType()).isEqualTo(Manifest.OCI_MANIFEST);
            assertThat(client.head("shop/multi", image.digest())).isPresent();
        });
        assertThat(info.image(Platform.parse("linux/arm64"))).map(PlatformImage::platform).contains(Platform.LINUX_ARM64);
        assertThat(info.image(Platform.parse("windows/amd64"))).isEmpty();
        assertThatThrownBy(info::image).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is an image index over [linux/amd64, linux/arm64/v8]");
    }

    @Test
    void aTagIsInspectedAsTheDigestItPointsAt() {
        String digest = cart("3.0.0").push("shop/cart", "build-3");
        client.retag("shop/cart", digest, "test");

        assertThat(inspector.inspect("shop/cart", "test")).isEqualTo(inspector.inspect("shop/cart", digest));
    }

    @Test
    void anUnknownArtifactIsNotFound() {
        cart("4.0.0").push("shop/cart", "build-4");
        String unknown = "sha256:" + "9".repeat(64);

        assertThatThrownBy(() -> inspector.inspect("shop/cart", unknown))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void inspectionsRunConcurrently() {
        List<String> digests = List.of(cart("5.0.0").push("shop/cart", "build-5"), cart("5.0.1").push("shop/cart", "build-6"));

        List<ImageInfo> infos = digests.stream().map(d -> inspector.inspectAsync("shop/cart", d)).toList()
                .stream().map(java.util.concurrent.CompletableFuture::join).toList();

        assertThat(infos).extracting(ImageInfo::digest).containsExactlyElementsOf(digests);
    }
}
