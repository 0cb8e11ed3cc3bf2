package dev.promoter.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ImageRun reads from an image before it starts anything: the run config, the user, each layer's DiffID. */
class ImageRunTest {

    @TempDir
    Path dir;

    @Test
    void theCommandIsTheEntrypointThenTheCmdWithTheImagesEnvironmentAndWorkingDirectory() throws Exception {
        ImageRun.RunConfig config = ImageRun.runConfig(new ObjectMapper().readTree("""
                {"Entrypoint": ["java", "-Xmx128m", "-jar", "quarkus-run.jar"], "Cmd": ["--verbose"],
                 "Env": ["PATH=/usr/bin:/bin", "EMPTY=", "JAVA_OPTS=-Da=b=c"], "WorkingDir": "/deployments",
                 "User": "10001:10001"}
                """));
        assertThat(config.command()).containsExactly("java", "-Xmx128m", "-jar", "quarkus-run.jar", "--verbose");
        assertThat(config.env()).containsEntry("PATH", "/usr/bin:/bin").containsEntry("EMPTY", "")
                .containsEntry("JAVA_OPTS", "-Da=b=c");
        assertThat(config.workingDir()).isEqualTo("/deployments");
        assertThat(ImageRun.runConfig(new ObjectMapper().readTree("{}")).workingDir()).isEqualTo("/");
    }

    @Test
    void aUserIsTakenAsNumbersOrLookedUpInTheImagesOwnPasswdAndGroup() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "promoter:x:10001:10001::/nonexistent:/usr/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\npromoter:x:10001:\nstaff:x:50:\n");

        assertThat(ImageRun.userSpec(dir, "")).isEqualTo("0:0");
        assertThat(ImageRun.userSpec(dir, "10001:10001")).isEqualTo("10001:10001");
        assertThat(ImageRun.userSpec(dir, "promoter")).isEqualTo("10001:10001");
        assertThat(ImageRun.userSpec(dir, "promoter:staff")).isEqualTo("10001:50");
        assertThat(ImageRun.userSpec(dir, "4242")).isEqualTo("4242:4242");
        assertThatThrownBy(() -> ImageRun.userSpec(dir, "nobody-here")).hasMessageContaining("not in the image");
    }

    @Test
    void aGzippedLayerIsAppliedAndItsDiffIdIsTheHashOfTheWholeUncompressedTar() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            byte[] data = "hello\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("app/hello.txt");
            entry.setSize(data.length);
            entry.setMode(0100644);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
        }
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(tar.toByteArray());
        }
        RootFs rootfs = new RootFs(dir.resolve("root"));

        String diffId = ImageRun.applyLayer(rootfs, "application/vnd.oci.image.layer.v1.tar+gzip", gzipped.toByteArray());

        assertThat(rootfs.root().resolve("app/hello.txt")).hasContent("hello");
        assertThat(diffId).isEqualTo(BaseImage.sha256(new java.io.ByteArrayInputStream(tar.toByteArray())));
        assertThatThrownBy(() -> ImageRun.applyLayer(rootfs, "application/vnd.oci.image.layer.v1.tar+zstd", new byte[0]))
                .hasMessageContaining("not supported");
    }
}
