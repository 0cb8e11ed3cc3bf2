package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.OciRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real CNCF Distribution registry. */
class RegistryClientTest {

    @TempDir
    static Path stateDir;
    static OciRegistry registry;
    static RegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = TestRegistry.start(stateDir);
        client = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
    }

    @AfterAll
    static void stopRegistry() {
        registry.stop();
    }

    private static String pushImage(String repository, String tag, String version) {
        return new ImageBuilder(client).file("/app/version.txt", version)
                .label("org.opencontainers.image.revision", "rev-" + version).user("1000")
                .push(repository, tag);
    }

    @Test
    void headByTagAndByDigestGiveThePushedDigest() {
        String digest = pushImage("shop/cart", "build-1", "1.0.0");

        Optional<ManifestRef> byTag = client.head("shop/cart", "build-1");
        Optional<ManifestRef> byDigest = client.head("shop/cart", digest);

        assertThat(byTag).isPresent();
        assertThat(byTag.get().digest()).isEqualTo(digest);
        assertThat(byTag.get().mediaType()).isEqualTo(Manifest.OCI_MANIFEST);
        assertThat(byTag.get().size()).isEqualTo(client.getManifest("shop/cart", digest).size());
        assertThat(byDigest).contains(byTag.get());
    }

    @Test
    void retagMovesTheTagToTheDigestKeepingTheExactBytes() {
        String digest = pushImage("shop/cart", "build-2", "2.0.0");
        Manifest original = client.getManifest("shop/cart", digest);

        RetagResult result = client.retag("shop/cart", digest, "dev");

        assertThat(result).isEqualTo(new RetagResult("shop/cart", "dev", digest, Manifest.OCI_MANIFEST, original.size()));
        assertThat(client.head("shop/cart", "dev")).map(ManifestRef::digest).contains(digest);
        Manifest viaTag = client.getManifest("shop/cart", "dev");
        assertThat(viaTag.bytes()).isEqualTo(original.bytes());
        assertThat(viaTag.digest()).isEqualTo(digest);
    }

    @Test
    void retagMovesAnExistingTagFromOneDigestToAnother() {
        String first = pushImage("shop/cart", "build-3", "3.0.0");
        String second = pushImage("shop/cart", "build-4", "4.0.0");
        client.retag("shop/cart", first, "stage");
        String previous = client.head("shop/cart", "stage").orElseThrow().digest();

        client.retagAsync("shop/cart", second, "stage").join();

        assertThat(previous).isEqualTo(first);
        assertThat(client.head("shop/cart", "stage")).map(ManifestRef::digest).contains(second);
    }

    @Test
    void retagOfAnImageIndexKeepsTheIndexDigest() {
        String index = new ImageBuilder(client).file("/app/version.txt", "5.0.0").pushIndex("shop/multi", "build-5");
        Manifest original = client.getManifest("shop/multi", index);

        client.retag("shop/multi", index, "prod");

        Manifest viaTag = client.getManifest("shop/multi", "prod");
        assertThat(viaTag.mediaType()).isEqualTo(Manifest.OCI_INDEX);
        assertThat(viaTag.digest()).isEqualTo(index);
        assertThat(viaTag.bytes()).isEqualTo(original.bytes());
    }

    @Test
    void headOfAnUnknownTagIsEmpty() {
        pushImage("shop/cart", "build-6", "6.0.0");

        assertThat(client.head("shop/cart", "never-pushed")).isEmpty();
        assertThat(client.head("shop/nothing-here", "prod")).isEmpty();
    }

    @Test
    void unknownDigestIsAManifestUnknown404ThatSaysWhatIsMissing() {
        pushImage("shop/cart", "build-7", "7.0.0");
        String unknown = "sha256:" + "ab".repeat(32);

        assertThatThrownBy(() -> client.getManifest("shop/cart", unknown))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.errorCode()).contains("MANIFEST_UNKNOWN");
                    assertThat(e.getMessage()).startsWith("manifest " + unknown + " not found in "
                            + registry.hostPort() + "/shop/cart (404 MANIFEST_UNKNOWN");
                });
    }

    @Test
    void retagOfAnUnknownDigestFailsAndCreatesNoTag() {
        pushImage("shop/cart", "build-8", "8.0.0");
        String unknown = "sha256:" + "cd".repeat(32);

        assertThatThrownBy(() -> client.retag("shop/cart", unknown, "ghost"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).contains("MANIFEST_UNKNOWN"));
        assertThat(client.head("shop/cart", "ghost")).isEmpty();
    }

    @Test
    void tagsListsEveryTagOfTheRepository() {
        String digest = pushImage("shop/tagged", "t1", "1");
        for (String tag : new String[] {"t2", "t3"}) {
            client.retag("shop/tagged", digest, tag);
        }

        assertThat(client.tags("shop/tagged")).containsExactlyInAnyOrder("t1", "t2", "t3");
        assertThatThrownBy(() -> client.tags("shop/never-pushed"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).contains("NAME_UNKNOWN"));
    }

    @Test
    void blobsArePushedOnceAndReadBackVerified() {
        byte[] content = "a blob of the pipeline".getBytes(StandardCharsets.UTF_8);
        String digest = Names.sha256(content);
        assertThat(client.blobExists("shop/blobs", digest)).isFalse();

        assertThat(client.pushBlob("shop/blobs", content)).isEqualTo(digest);
        assertThat(client.blobExists("shop/blobs", digest)).isTrue();
        assertThat(client.pushBlob("shop/blobs", content)).isEqualTo(digest);
        assertThat(client.getBlob("shop/blobs", digest, 1024)).isEqualTo(content);
        assertThatThrownBy(() -> client.getBlob("shop/blobs", digest, 4))
                .isInstanceOf(RegistryException.class).hasMessageContaining("larger than 4 bytes");
    }

    @Test
    void deleteManifestRemovesItAndItsTags() {
        String digest = pushImage("shop/deleted", "build-9", "9.0.0");

        client.deleteManifest("shop/deleted", digest);

        assertThat(client.head("shop/deleted", digest)).isEmpty();
        assertThat(client.head("shop/deleted", "build-9")).isEmpty();
        assertThatThrownBy(() -> client.deleteManifest("shop/deleted", digest))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void unreachableRegistryIsARegistryExceptionNamingIt() {
        RegistryClient nowhere = RegistryClient.forRegistry("127.0.0.1:" + LoopbackPorts.free(),
                RegistryCredentials.anonymous());

        assertThatThrownBy(() -> nowhere.head("shop/cart", "prod"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("check tag prod in 127.0.0.1:").contains("cannot connect");
                });
    }
}
