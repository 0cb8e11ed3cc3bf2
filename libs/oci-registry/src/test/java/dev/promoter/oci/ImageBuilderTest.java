package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.stack.OciRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images built without Docker are real OCI images, and the same inputs always give the same digest. */
class ImageBuilderTest {

    static final ObjectMapper JSON = new ObjectMapper();

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

    private static ImageBuilder image(String version) {
        return new ImageBuilder(client).file("/app/version.txt", version + "\n").file("/app/bin/run.sh", "#!/bin/sh\n")
                .label("org.opencontainers.image.revision", "rev-" + version).user("1000");
    }

    @Test
    void theSameInputsGiveTheSameDigest() {
        String first = image("1.0.0").push("shop/same", "a");
        String second = image("1.0.0").push("shop/same", "b");
        String index1 = image("1.0.0").pushIndex("shop/same", "i1");
        String index2 = image("1.0.0").pushIndex("shop/same", "i2");

        assertThat(second).isEqualTo(first);
        assertThat(index2).isEqualTo(index1);
        assertThat(image("1.0.0").build(Platform.LINUX_AMD64).layer()).isEqualTo(image("1.0.0").build(Platform.LINUX_AMD64).layer());
    }

    @Test
    void differentContentLabelsOrUserGiveDifferentDigests() {
        String base = image("2.0.0").push("shop/diff", "base");

        assertThat(image("2.0.1").push("shop/diff", "content")).isNotEqualTo(base);
        assertThat(image("2.0.0").label("extra", "x").push("shop/diff", "label")).isNotEqualTo(base);
        assertThat(image("2.0.0").user("").push("shop/diff", "user")).isNotEqualTo(base);
    }

    @Test
    void theLayerIsAGzipTarWithoutTimestampWhoseDiffIdIsInTheConfig() throws IOException {
        String digest = image("3.0.0").push("shop/real", "build-3");
        JsonNode manifest = JSON.readTree(client.getManifest("shop/real", digest).bytes());
        JsonNode layerDescriptor = manifest.path("layers").path(0);
        byte[] layer = client.getBlob("shop/real", layerDescriptor.path("digest").asText(), 1 << 20);
        JsonNode config = JSON.readTree(client.getBlob("shop/real", manifest.path("config").path("digest").asText(), 1 << 20));

        assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(manifest.path("mediaType").asText()).isEqualTo(Manifest.OCI_MANIFEST);
        assertThat(manifest.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(layerDescriptor.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        assertThat(layerDescriptor.path("size").asLong()).isEqualTo(layer.length);
        // gzip header: magic, deflate, no flags, MTIME = 0.
        assertThat(layer).startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0);
        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(layer)).readAllBytes();
        assertThat(config.path("rootfs").path("diff_ids").path(0).asText()).isEqualTo(Names.sha256(tar));
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("config").path("User").asText()).isEqualTo("1000");
        assertThat(config.path("config").path("Labels").path("org.opencontainers.image.revision").asText()).isEqualTo("rev-3.0.0");

        Map<String, String> entries = readTar(tar);
        assertThat(entries).containsExactly(
                Map.entry("app/", "5 0000755 mtime 00000000000"),
                Map.entry("app/bin/", "5 0000755 mtime 00000000000"),
                Map.entry("app/bin/run.sh", "0 0000644 mtime 00000000000 #!/bin/sh\n"),
                Map.entry("app/version.txt", "0 0000644 mtime 00000000000 3.0.0\n"));
    }

    @Test
    void theSystemTarReadsTheLayer(@TempDir Path out) throws Exception {
        Path tar = Path.of("/bin/tar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(tar), "needs /bin/tar");
        Path layer = out.resolve("layer.tar.gz");
        Files.write(layer, image("4.0.0").build(Platform.LINUX_AMD64).layer());

        Process process = new ProcessBuilder(tar.toString(), "-xzf", layer.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();

        assertThat(process.waitFor()).as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readString(out.resolve("app/version.txt"))).isEqualTo("4.0.0\n");
    }

    @Test
    void filePathsMustBePlain() {
        assertThatThrownBy(() -> image("x").file("/app/../etc/passwd", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> image("x").file("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> image("x").file("/app/version.txt/inner", "x").push("shop/bad", "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both a file and a directory");
    }

    /** Reads ustar entries independently of the writer, checking each header's checksum. */
    private static Map<String, String> readTar(byte[] tar) {
        Map<String, String> entries = new LinkedHashMap<>();
        int offset = 0;
        while (offset + 512 <= tar.length && tar[offset] != 0) {
            String name = field(tar, offset, 100);
            char type = (char) tar[offset + 156];
            String mode = field(tar, offset + 100, 8);
            long size = Long.parseLong(field(tar, offset + 124, 12), 8);
            String mtime = field(tar, offset + 136, 12);
            long checksum = Long.parseLong(field(tar, offset + 148, 8).trim(), 8);
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += i >= 148 && i < 156 ? ' ' : tar[offset + i] & 0xff;
            }
            assertThat(sum).as("checksum of " + name).isEqualTo(checksum);
            assertThat(field(tar, offset + 257, 6)).isEqualTo("ustar");
            String content = new String(tar, offset + 512, (int) size, StandardCharsets.UTF_8);
            entries.put(name, type + " " + mode + " mtime " + mtime + (type == '0' ? " " + content : ""));
            offset += 512 + (int) ((size + 511) / 512 * 512);
        }
        assertThat(tar.length - offset).as("two zero blocks end the archive").isEqualTo(1024);
        return entries;
    }

    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
