package dev.promoter.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.oci.Manifest;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Runs an image from a registry the way a container runtime would, where none can start here (podman/crun are refused
 * setrlimit): the manifest and config are read, the layers unpacked in order into a root file system ({@link RootFs}),
 * each checked against its DiffID, /proc mounted and the usual /dev nodes made, and the image's entrypoint and command
 * started under {@code chroot --userspec} with the image's environment (plus what the caller adds), working directory
 * and user. The host's network is shared, as with {@code --network host}. Needs root (chroot, mount, mknod).
 */
public final class ImageRun implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_CONFIG_BYTES = 4L << 20;
    private static final long MAX_LAYER_BYTES = 1L << 30;

    /** What the image's config says to run. */
    record RunConfig(List<String> command, Map<String, String> env, String workingDir, String user) {
    }

    private final RootFs rootfs;
    private final RunConfig config;
    private boolean procMounted;
    private Process process;

    private ImageRun(RootFs rootfs, RunConfig config) {
        this.rootfs = rootfs;
        this.config = config;
    }

    RunConfig config() {
        return config;
    }

    /** Fetches the image and unpacks it into {@code root} (which must be empty or absent). */
    static ImageRun unpack(String registryAddress, String repository, String reference, Path root) throws IOException {
        RegistryClient registry = RegistryClient.forRegistry(registryAddress, RegistryCredentials.anonymous());
        Manifest manifest = registry.getManifest(repository, reference);
        JsonNode body = JSON.readTree(manifest.bytes());
        if (manifest.isIndex()) {
            String arch = architecture();
            String digest = null;
            for (JsonNode entry : body.path("manifests")) {
                if (entry.path("platform").path("os").asText().equals("linux")
                        && entry.path("platform").path("architecture").asText().equals(arch)) {
                    digest = entry.path("digest").asText();
                }
            }
            if (digest == null) {
                throw new IOException(repository + ":" + reference + " has no linux/" + arch + " image");
            }
            body = JSON.readTree(registry.getManifest(repository, digest).bytes());
        }
        JsonNode config = JSON.readTree(registry.getBlob(repository, body.path("config").path("digest").asText(),
                MAX_CONFIG_BYTES));
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        JsonNode layers = body.path("layers");
        if (diffIds.size() != layers.size()) {
            throw new IOException("the image config lists " + diffIds.size() + " DiffIDs for " + layers.size() + " layers");
        }
        RootFs rootfs = new RootFs(root);
        for (int i = 0; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            byte[] blob = registry.getBlob(repository, layer.path("digest").asText(), MAX_LAYER_BYTES);
            String diffId = applyLayer(rootfs, layer.path("mediaType").asText(), blob);
            if (!diffId.equals(diffIds.get(i).asText())) {
                throw new IOException("layer " + i + " unpacks to " + diffId + ", the config says " + diffIds.get(i).asText());
            }
        }
        return new ImageRun(rootfs, runConfig(config.path("config")));
    }

    /** Applies one layer blob and returns its DiffID (sha256 of the uncompressed tar, trailing padding included). */
    static String applyLayer(RootFs rootfs, String mediaType, byte[] blob) throws IOException {
        InputStream raw = new ByteArrayInputStream(blob);
        InputStream tar;
        if (mediaType.endsWith("tar+gzip") || mediaType.endsWith("tar.gzip")) {
            tar = new GZIPInputStream(raw, 1 << 16);
        } else if (mediaType.endsWith(".tar")) {
            tar = raw;
        } else {
            throw new IOException("layer media type " + mediaType + " is not supported (gzip'd or plain tar only)");
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream hashing = new DigestInputStream(tar, sha256)) {
                rootfs.apply(hashing);
                hashing.transferTo(OutputStream.nullOutputStream());
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunConfig runConfig(JsonNode config) {
        List<String> command = new ArrayList<>();
        config.path("Entrypoint").forEach(part -> command.add(part.asText()));
        config.path("Cmd").forEach(part -> command.add(part.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode pair : config.path("Env")) {
            String text = pair.asText();
            int eq = text.indexOf('=');
            env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
        }
        String workingDir = config.path("WorkingDir").asText("");
        return new RunConfig(command, env, workingDir.isEmpty() ? "/" : workingDir, config.path("User").asText(""));
    }

    /** Starts the entrypoint with the image's environment plus {@code extraEnv}; output goes to {@code log}. */
    Process start(Map<String, String> extraEnv, Path log) throws IOException, InterruptedException {
        if (config.command().isEmpty()) {
            throw new IOException("the image names no entrypoint or command");
        }
        Path root = rootfs.root();
        Path proc = Files.createDirectories(root.resolve("proc"));
        run("mount", "-t", "proc", "proc", proc.toString());
        procMounted = true;
        Path dev = Files.createDirectories(root.resolve("dev"));
        makeDevice(dev, "null", 3);
        makeDevice(dev, "zero", 5);
        makeDevice(dev, "random", 8);
        makeDevice(dev, "urandom", 9);
        Files.createDirectories(root.resolve("etc"));
        for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
            Path host = Path.of("/").resolve(file);
            if (Files.isReadable(host)) {
                Files.copy(host, root.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<String> command = new ArrayList<>(List.of("chroot", "--userspec=" + userSpec(root, config.user()),
                root.toString(), "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", config.workingDir()));
        command.addAll(config.command());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(config.env());
        builder.environment().putAll(extraEnv);
        process = builder.start();
        return process;
    }

    /** {@code uid:gid} for chroot: numbers as they are, names looked up in the image's /etc/passwd and /etc/group. */
    static String userSpec(Path root, String user) throws IOException {
        if (user.isEmpty()) {
            return "0:0";
        }
        String[] parts = user.split(":", 2);
        Optional<String[]> passwd = lookup(root.resolve("etc/passwd"), parts[0]);
        String uid = parts[0].matches("\\d+") ? parts[0]
                : passwd.map(p -> p[2]).orElseThrow(() -> new IOException("user " + parts[0] + " is not in the image"));
        String gid;
        if (parts.length == 2) {
            gid = parts[1].matches("\\d+") ? parts[1] : lookup(root.resolve("etc/group"), parts[1]).map(g -> g[2])
                    .orElseThrow(() -> new IOException("group " + parts[1] + " is not in the image"));
        } else {
            gid = passwd.map(p -> p[3]).orElse(uid);
        }
        return uid + ":" + gid;
    }

    private static Optional<String[]> lookup(Path file, String nameOrId) throws IOException {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && (fields[0].equals(nameOrId) || fields[2].equals(nameOrId))) {
                return Optional.of(fields);
            }
        }
        return Optional.empty();
    }

    private static void makeDevice(Path dev, String name, int minor) throws IOException, InterruptedException {
        if (!Files.exists(dev.resolve(name))) {
            run("mknod", "-m", "666", dev.resolve(name).toString(), "c", "1", Integer.toString(minor));
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** Stops the process (TERM, then KILL after 20 s) and unmounts /proc. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
        if (procMounted) {
            run("umount", rootfs.root().resolve("proc").toString());
            procMounted = false;
        }
    }

    /**
     * {@code ImageRun <registry> <repository> <tag> <root dir> [K=V]...}: runs the image in the foreground until it
     * ends or this process is stopped.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ImageRun <registry> <repository> <tag> <root dir> [K=V]...");
            System.exit(2);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            env.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try (ImageRun run = unpack(args[0], args[1], args[2], Path.of(args[3]))) {
            Path log = Path.of(args[3] + ".log");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run.close();
                } catch (Exception e) {
                    System.err.println("stopping: " + e.getMessage());
                }
            }));
            System.out.println("running " + run.config().command() + " as " + run.config().user() + ", log " + log);
            System.exit(run.start(env, log).waitFor());
        }
    }
}
