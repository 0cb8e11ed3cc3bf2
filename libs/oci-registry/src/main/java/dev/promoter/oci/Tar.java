package dev.promoter.oci;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A minimal POSIX ustar writer for image layers: regular files and their parent directories, owned by
 * root, with mtime 0 and entries in path order, so equal content gives equal bytes (and digests).
 */
final class Tar {

    private static final int BLOCK = 512;

    private Tar() {
    }

    /** Files keyed by absolute or relative path ({@code /app/version.txt}); parents are added as directories. */
    static byte[] of(Map<String, byte[]> files) {
        SortedMap<String, byte[]> entries = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = normalize(file.getKey());
            int slash = path.indexOf('/');
            while (slash > 0) {
                entries.put(path.substring(0, slash + 1), null);
                slash = path.indexOf('/', slash + 1);
            }
            entries.put(path, file.getValue());
        }
        for (String path : entries.keySet()) {
            if (path.endsWith("/") && entries.containsKey(path.substring(0, path.length() - 1))) {
                throw new IllegalArgumentException("'/" + path.substring(0, path.length() - 1)
                        + "' cannot be both a file and a directory");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            byte[] content = entry.getValue();
            boolean directory = content == null;
            out.writeBytes(header(entry.getKey(), directory ? 0755 : 0644, directory ? 0 : content.length,
                    directory ? '5' : '0'));
            if (!directory) {
                out.writeBytes(content);
                out.writeBytes(new byte[padding(content.length)]);
            }
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    static String normalize(String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        List<String> segments = new ArrayList<>(List.of(relative.split("/", -1)));
        if (relative.isEmpty() || segments.stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException("invalid file path '" + path
                    + "': expected a file path like /app/version.txt, without '.', '..' or empty segments");
        }
        return relative;
    }

    private static byte[] header(String name, int mode, long size, char type) {
        byte[] header = new byte[BLOCK];
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 100) {
            System.arraycopy(bytes, 0, header, 0, bytes.length);
        } else {
            // ustar splits long paths at a '/' into prefix (155) and name (100).
            int split = name.lastIndexOf('/', name.length() - 2);
            while (split > 0 && name.substring(0, split).getBytes(StandardCharsets.UTF_8).length > 155) {
                split = name.lastIndexOf('/', split - 1);
            }
            byte[] prefix = split > 0 ? name.substring(0, split).getBytes(StandardCharsets.UTF_8) : new byte[0];
            byte[] rest = split > 0 ? name.substring(split + 1).getBytes(StandardCharsets.UTF_8) : bytes;
            if (split <= 0 || prefix.length > 155 || rest.length > 100) {
                throw new IllegalArgumentException("file path too long for a ustar layer: " + name);
            }
            System.arraycopy(rest, 0, header, 0, rest.length);
            System.arraycopy(prefix, 0, header, 345, prefix.length);
        }
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 0);
        header[156] = (byte) type;
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        ascii(header, 265, "root");
        ascii(header, 297, "root");
        octal(header, 329, 8, 0);
        octal(header, 337, 8, 0);
        // The checksum is computed with its own field read as eight spaces.
        ascii(header, 148, "        ");
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        ascii(header, 148, String.format("%06o", sum) + "\0 ");
        return header;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("value too large for a ustar header field: " + value);
        }
        ascii(header, offset, "0".repeat(length - 1 - digits.length()) + digits + "\0");
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static int padding(long length) {
        return (int) ((BLOCK - length % BLOCK) % BLOCK);
    }
}
