package dev.promoter.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A container's root file system made the way a runtime makes it from an OCI image: each layer (a tar) applied in
 * order on top of the ones before, with the image spec's whiteouts ({@code .wh.<name>} deletes {@code <name>} of the
 * layers below, {@code .wh..wh..opq} hides everything the layers below put in its directory). Paths are resolved
 * inside the root as the container would see them: a symbolic link from a lower layer that points outside
 * ({@code /etc -> /}, {@code ../../..}) leads back into the root, never to the host. Device files and FIFOs are
 * skipped (a runtime makes /dev itself); names with {@code ..} are refused.
 */
final class RootFs {

    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final int MAX_LINKS = 40;

    private final Path root;

    RootFs(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    Path root() {
        return root;
    }

    /** What applying one layer did: entries written, deleted by whiteouts, skipped (devices, FIFOs). */
    record Applied(int written, int whitedOut, int skipped) {
    }

    /** Applies one layer, an uncompressed tar stream, on top of what the root holds. */
    Applied apply(InputStream layer) throws IOException {
        Set<Path> written = new HashSet<>();
        List<Path> opaque = new ArrayList<>();
        int whitedOut = 0;
        int skipped = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(layer);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            List<String> names = clean(entry.getName());
            if (names.isEmpty()) {
                continue;
            }
            String base = names.get(names.size() - 1);
            List<String> parentNames = names.subList(0, names.size() - 1);
            if (base.equals(OPAQUE)) {
                opaque.add(resolveDirectory(parentNames));
                continue;
            }
            if (base.startsWith(WHITEOUT)) {
                Path gone = resolveDirectory(parentNames).resolve(base.substring(WHITEOUT.length()));
                if (Files.exists(gone, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(gone);
                    whitedOut++;
                }
                continue;
            }
            if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                skipped++;
                continue;
            }
            Path target = resolveDirectory(parentNames).resolve(base);
            if (entry.isDirectory()) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(target);
                    Files.createDirectory(target);
                }
            } else if (entry.isSymbolicLink()) {
                deleteRecursively(target);
                Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                List<String> linked = clean(entry.getLinkName());
                Path source = resolveDirectory(linked.subList(0, linked.size() - 1)).resolve(linked.get(linked.size() - 1));
                deleteRecursively(target);
                Files.createLink(target, source);
            } else {
                deleteRecursively(target);
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            }
            own(target, entry);
            written.add(target);
        }
        for (Path directory : opaque) {
            whitedOut += hideBelow(directory, written);
        }
        return new Applied(written.size(), whitedOut, skipped);
    }

    /** The entry name's parts: leading "/" and "./" dropped; ".." refused, so no entry reaches above the root. */
    static List<String> clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("layer entry " + name + " climbs out of the root file system");
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * The directory these names lead to inside the root, following symbolic links as the container would (an
     * absolute target starts again at the root; {@code ..} stops at it); missing directories are made.
     */
    Path resolveDirectory(List<String> names) throws IOException {
        Deque<String> remaining = new ArrayDeque<>(names);
        Deque<String> current = new ArrayDeque<>();
        int links = 0;
        while (!remaining.isEmpty()) {
            String name = remaining.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current.pollLast();
                continue;
            }
            Path candidate = inRoot(current).resolve(name);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many symbolic links under " + root + " resolving " + names);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    current.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    remaining.addFirst(parts[i]);
                }
                continue;
            }
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(candidate);
            } else if (!Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(root.relativize(candidate) + " is not a directory, but a layer puts entries in it");
            }
            current.addLast(name);
        }
        return inRoot(current);
    }

    private Path inRoot(Deque<String> names) {
        Path path = root;
        for (String name : names) {
            path = path.resolve(name);
        }
        return path;
    }

    /** An opaque directory: whatever lower layers put in it goes; what this layer wrote there stays. */
    private static int hideBelow(Path directory, Set<Path> written) throws IOException {
        Set<Path> keep = new HashSet<>();
        for (Path path : written) {
            for (Path p = path; p != null && p.startsWith(directory); p = p.getParent()) {
                keep.add(p);
            }
        }
        List<Path> lower;
        try (Stream<Path> children = Files.list(directory)) {
            lower = children.toList();
        }
        int hidden = 0;
        for (Path child : lower) {
            if (!keep.contains(child)) {
                deleteRecursively(child);
                hidden++;
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                // Kept because this layer wrote it or something in it; what lower layers left inside goes too.
                hidden += hideBelow(child, written);
            }
        }
        return hidden;
    }

    /** Mode bits, and owner when this process may set it (root, as a runtime is). */
    private static void own(Path target, TarArchiveEntry entry) throws IOException {
        if (!entry.isSymbolicLink()) {
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
        try {
            Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException | UnsupportedOperationException e) {
            // Not root: the files stay this user's, which is all an unprivileged run can have.
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(path);
        }
    }
}
