package dev.promoter.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers applied in order into a root file system, as a container runtime applies them (OCI image spec, layers). */
class RootFsTest {

    @TempDir
    Path dir;

    @Test
    void layersApplyInOrderAndALaterLayerReplacesWhatWasThere() throws Exception {
        RootFs rootfs = new RootFs(dir.resolve("root"));
        rootfs.apply(layer()
                .dir("etc/", 0755).file("etc/motd", "one\n", 0644).file("app/run.sh", "#!/bin/sh\n", 0755)
                .dir("var/cache/x/", 0755).file("var/cache/x/old", "old", 0644)
                .symlink("bin", "usr/bin").dir("usr/bin/", 0755).hardlink("etc/motd.link", "etc/motd").bytes());
        rootfs.apply(layer().file("etc/motd", "two\n", 0600).file("var/cache/x", "now a file", 0644)
                .file("bin/tool", "via the link", 0755).bytes());

        Path root = rootfs.root();
        assertThat(root.resolve("etc/motd")).hasContent("two");
        assertThat(Files.getPosixFilePermissions(root.resolve("etc/motd"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(root.resolve("etc/motd.link")).hasContent("one");
        assertThat(Files.getPosixFilePermissions(root.resolve("app/run.sh"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(root.resolve("var/cache/x")).isRegularFile().hasContent("now a file");
        assertThat(Files.readSymbolicLink(root.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(root.resolve("usr/bin/tool")).hasContent("via the link");
    }

    @Test
    void aWhiteoutDeletesAFileOrADirectoryOfTheLayersBelowAndIsNotItselfExtracted() throws Exception {
        RootFs rootfs = new RootFs(dir.resolve("root"));
        rootfs.apply(layer().file("etc/keep", "k", 0644).file("etc/gone", "g", 0644)
                .file("opt/tree/a/b", "b", 0644).file("opt/other", "o", 0644).bytes());
        RootFs.Applied applied = rootfs.apply(layer().file("etc/.wh.gone", "", 0644).file("opt/.wh.tree", "", 0644)
                .file("etc/.wh.never-there", "", 0644).bytes());

        Path root = rootfs.root();
        assertThat(root.resolve("etc/gone")).doesNotExist();
        assertThat(root.resolve("etc/.wh.gone")).doesNotExist();
        assertThat(root.resolve("opt/tree")).doesNotExist();
        assertThat(root.resolve("etc/keep")).exists();
        assertThat(root.resolve("opt/other")).exists();
        assertThat(applied.whitedOut()).isEqualTo(2);
    }

    @Test
    void anOpaqueDirectoryHidesTheLayersBelowButKeepsItsOwnLayersEntriesWhereverTheMarkerIs() throws Exception {
        for (boolean markerFirst : new boolean[] {true, false}) {
            RootFs rootfs = new RootFs(dir.resolve("root-" + markerFirst));
            rootfs.apply(layer().file("srv/old", "o", 0644).file("srv/sub/older", "o", 0644)
                    .file("srv-sibling/stays", "s", 0644).bytes());
            Layer upper = layer().dir("srv/", 0755);
            if (markerFirst) {
                upper.file("srv/.wh..wh..opq", "", 0644);
            }
            upper.file("srv/new", "n", 0644).dir("srv/sub/", 0755).file("srv/sub/newer", "n", 0644);
            if (!markerFirst) {
                upper.file("srv/.wh..wh..opq", "", 0644);
            }
            rootfs.apply(upper.bytes());

            Path root = rootfs.root();
            assertThat(root.resolve("srv/old")).as("marker first: %s", markerFirst).doesNotExist();
            assertThat(root.resolve("srv/sub/older")).as("marker first: %s", markerFirst).doesNotExist();
            assertThat(root.resolve("srv/new")).as("marker first: %s", markerFirst).hasContent("n");
            assertThat(root.resolve("srv/sub/newer")).as("marker first: %s", markerFirst).hasContent("n");
            assertThat(root.resolve("srv/.wh..wh..opq")).doesNotExist();
            assertThat(root.resolve("srv-sibling/stays")).exists();
        }
    }

    @Test
    void aSymbolicLinkPointingOutsideLeadsBackIntoTheRootNeverToTheHost() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        RootFs rootfs = new RootFs(dir.resolve("root"));
        rootfs.apply(layer().symlink("abs", host.toString()).symlink("rel", "../../../../../../../../" + host)
                .symlink("slash", "/").bytes());
        rootfs.apply(layer().file("abs/one", "1", 0644).file("rel/two", "2", 0644).file("slash/three", "3", 0644)
                .bytes());

        try (var written = Files.list(host)) {
            assertThat(written).isEmpty();
        }
        Path inside = rootfs.root().resolve(host.toString().substring(1));
        assertThat(inside.resolve("one")).hasContent("1");
        assertThat(inside.resolve("two")).hasContent("2");
        assertThat(rootfs.root().resolve("three")).hasContent("3");
    }

    @Test
    void entriesThatClimbAboveTheRootAreRefused() throws Exception {
        RootFs rootfs = new RootFs(dir.resolve("root"));
        assertThatThrownBy(() -> rootfs.apply(layer().file("../escape", "x", 0644).bytes()))
                .hasMessageContaining("climbs out");
        assertThat(dir.resolve("escape")).doesNotExist();
        assertThat(RootFs.clean("./usr//bin/./java")).containsExactly("usr", "bin", "java");
        assertThat(RootFs.clean("/")).isEmpty();
    }

    @Test
    void devicesAndFifosAreSkippedLikeARuntimeThatMakesDevItself() throws Exception {
        RootFs rootfs = new RootFs(dir.resolve("root"));
        Layer layer = layer().dir("dev/", 0755);
        TarArchiveEntry device = new TarArchiveEntry("dev/null", TarConstants.LF_CHR);
        device.setDevMajor(1);
        device.setDevMinor(3);
        layer.entry(device, new byte[0]);
        RootFs.Applied applied = rootfs.apply(layer.bytes());
        assertThat(applied.skipped()).isEqualTo(1);
        assertThat(rootfs.root().resolve("dev/null")).matches(p -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static Layer layer() {
        return new Layer();
    }

    /** A layer tar written entry by entry. */
    static final class Layer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        Layer() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Layer dir(String name, int mode) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setMode(040000 | mode);
            return entry(entry, new byte[0]);
        }

        Layer file(String name, String content, int mode) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setMode(0100000 | mode);
            entry.setSize(data.length);
            return entry(entry, data);
        }

        Layer symlink(String name, String target) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(target);
            return entry(entry, new byte[0]);
        }

        Layer hardlink(String name, String target) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
            entry.setLinkName(target);
            return entry(entry, new byte[0]);
        }

        Layer entry(TarArchiveEntry entry, byte[] data) throws IOException {
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        }

        ByteArrayInputStream bytes() throws IOException {
            tar.finish();
            return new ByteArrayInputStream(bytes.toByteArray());
        }
    }
}
