package dev.promoter.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.oci.Manifest;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Pushes a root file system, given as one gzip'd tar, as a one-layer OCI image: the base the service images are built
 * on (./pipeline images makes the tar from Debian's packages with debootstrap). Arguments: registry host:port,
 * repository, tag, layer.tar.gz, architecture (amd64, arm64), user (uid:gid), and the image's environment (K=V ...).
 */
public final class BaseImage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BaseImage() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: BaseImage <registry> <repository> <tag> <layer.tar.gz> <architecture> <uid:gid>"
                    + " [K=V]...");
            System.exit(2);
        }
        RegistryClient registry = RegistryClient.forRegistry(args[0], RegistryCredentials.anonymous());
        String repository = args[1];
        Path layer = Path.of(args[3]);
        byte[] compressed = Files.readAllBytes(layer);
        String layerDigest = registry.pushBlob(repository, compressed);

        ObjectNode config = JSON.createObjectNode();
        config.put("created", Instant.now().toString());
        config.put("architecture", args[4]);
        config.put("os", "linux");
        ObjectNode runtime = config.putObject("config");
        runtime.put("User", args[5]);
        runtime.put("WorkingDir", "/");
        ArrayNode env = runtime.putArray("Env");
        for (int i = 6; i < args.length; i++) {
            env.add(args[i]);
        }
        // No labels: images built on this one inherit them, and theirs must describe the service.
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId(layer));
        config.putArray("history").addObject().put("created_by", "debootstrap --variant=minbase"
                + " --include=openjdk-17-jre-headless (./pipeline images)");
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = registry.pushBlob(repository, configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", Manifest.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest).put("size", configBytes.length);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                .put("digest", layerDigest).put("size", compressed.length);
        String digest = registry.putManifest(repository, args[2],
                Manifest.of(Manifest.OCI_MANIFEST, JSON.writeValueAsBytes(manifest)));
        System.out.println(args[0] + "/" + repository + ":" + args[2] + "@" + digest);
    }

    /** sha256 of the uncompressed tar: the layer's DiffID in the image config. */
    static String diffId(Path gzippedTar) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzippedTar), 1 << 16)) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream hashing = new DigestInputStream(in, digest)) {
                hashing.transferTo(OutputStream.nullOutputStream());
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
