package dev.promoter.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/**
 * Builds and pushes tiny but real OCI images without Docker — one gzip'd tar layer with the given
 * files, a config with labels and user, an OCI image manifest — for tests and the demo.
 *
 * <p>Deterministic: tar entries are sorted with mtime 0 and root ownership, the gzip header carries no
 * timestamp, and JSON is written in a fixed order, so the same inputs give the same digest (with one
 * JDK/zlib). A builder collects inputs and is not thread-safe; each push reads them as they are then.
 */
public final class ImageBuilder {

    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient registry;
    private final Map<String, byte[]> files = new TreeMap<>();
    private final Map<String, String> labels = new TreeMap<>();
    private String user = "";
    private Platform platform = Platform.LINUX_AMD64;

    public ImageBuilder(RegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Adds (or replaces) a file in the layer, e.g. {@code file("/app/version.txt", "1.4.2\n")}. */
    public ImageBuilder file(String path, String content) {
        return file(path, Objects.requireNonNull(content, "content").getBytes(StandardCharsets.UTF_8));
    }

    public ImageBuilder file(String path, byte[] content) {
        files.put(Tar.normalize(Objects.requireNonNull(path, "path")), Objects.requireNonNull(content, "content").clone());
        return this;
    }

    /** Sets a {@code config.Labels} entry, e.g. {@code org.opencontainers.image.revision}. */
    public ImageBuilder label(String key, String value) {
        labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    public ImageBuilder labels(Map<String, String> values) {
        values.forEach(this::label);
        return this;
    }

    /** {@code config.User}: "1000", "app:app", or "" (the default) for root. */
    public ImageBuilder user(String value) {
        this.user = Objects.requireNonNull(value, "user");
        return this;
    }

    /** The platform of {@link #push}; {@code linux/amd64} unless set. */
    public ImageBuilder platform(Platform value) {
        this.platform = Objects.requireNonNull(value, "platform");
        return this;
    }

    /** Pushes layer and config, then the image manifest under {@code tag}; returns the manifest digest. */
    public String push(String repository, String tag) {
        return RegistryClient.await(pushAsync(repository, tag));
    }

    public CompletableFuture<String> pushAsync(String repository, String tag) {
        Names.requireRepository(repository);
        Names.requireTag(tag);
        BuiltImage image = build(platform);
        return pushBlobs(repository, List.of(image))
                .thenCompose(done -> registry.putManifestAsync(repository, tag, image.manifest()));
    }

    /**
     * Pushes a multi-platform artifact: one image per platform of {@code linux/amd64} and
     * {@code linux/arm64/v8} (same files, labels and user), each manifest by its digest, then an OCI image
     * index over both under {@code tag}; returns the index digest.
     */
    public String pushIndex(String repository, String tag) {
        return RegistryClient.await(pushIndexAsync(repository, tag));
    }

    public CompletableFuture<String> pushIndexAsync(String repository, String tag) {
        Names.requireRepository(repository);
        Names.requireTag(tag);
        List<BuiltImage> images = List.of(build(Platform.LINUX_AMD64), build(Platform.LINUX_ARM64));
        Manifest index = index(images);
        return pushBlobs(repository, images)
                .thenCompose(done -> CompletableFuture.allOf(images.stream()
                        .map(image -> registry.putManifestAsync(repository, image.manifest().digest(), image.manifest()))
                        .toArray(CompletableFuture[]::new)))
                .thenCompose(done -> registry.putManifestAsync(repository, tag, index));
    }

    /** Each distinct blob once, concurrently; manifests must wait for all of them (the registry checks). */
    private CompletableFuture<Void> pushBlobs(String repository, List<BuiltImage> images) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        for (BuiltImage image : images) {
            blobs.put(image.layerDigest(), image.layer());
            blobs.put(image.configDigest(), image.config());
        }
        return CompletableFuture.allOf(blobs.values().stream()
                .map(blob -> registry.pushBlobAsync(repository, blob))
                .toArray(CompletableFuture[]::new));
    }

    /** The image's blobs and manifest, built in memory without pushing. */
    BuiltImage build(Platform target) {
        byte[] tar = Tar.of(files);
        byte[] layer = gzip(tar);
        String layerDigest = Names.sha256(layer);

        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", target.architecture());
        config.put("os", target.os());
        if (!target.variant().isEmpty()) {
            config.put("variant", target.variant());
        }
        ObjectNode runtime = config.putObject("config");
        runtime.put("User", user);
        ObjectNode labelNode = runtime.putObject("Labels");
        labels.forEach(labelNode::put);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(Names.sha256(tar));
        config.putArray("history").addObject().put("created_by", "dev.promoter.oci.ImageBuilder");
        byte[] configBytes = write(config);
        String configDigest = Names.sha256(configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", Manifest.OCI_MANIFEST);
        descriptor(manifest.putObject("config"), CONFIG_TYPE, configDigest, configBytes.length);
        descriptor(manifest.putArray("layers").addObject(), LAYER_TYPE, layerDigest, layer.length);
        byte[] manifestBytes = write(manifest);
        return new BuiltImage(target, tar, layer, layerDigest, configBytes, configDigest,
                Manifest.trusted(Manifest.OCI_MANIFEST, manifestBytes, Names.sha256(manifestBytes)));
    }

    static Manifest index(List<BuiltImage> images) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", Manifest.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (BuiltImage image : images) {
            ObjectNode entry = manifests.addObject();
            descriptor(entry, Manifest.OCI_MANIFEST, image.manifest().digest(), image.manifest().size());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.platform().architecture());
            platform.put("os", image.platform().os());
            if (!image.platform().variant().isEmpty()) {
                platform.put("variant", image.platform().variant());
            }
        }
        byte[] bytes = write(index);
        return Manifest.trusted(Manifest.OCI_INDEX, bytes, Names.sha256(bytes));
    }

    private static void descriptor(ObjectNode node, String mediaType, String digest, long size) {
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
    }

    /** GZIPOutputStream writes a header with mtime 0 and no file name, so equal input gives equal output. */
    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] write(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An image built in memory: uncompressed tar, layer, config and manifest. */
    record BuiltImage(Platform platform, byte[] tar, byte[] layer, String layerDigest, byte[] config,
                      String configDigest, Manifest manifest) {
    }
}
