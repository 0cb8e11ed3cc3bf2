package dev.promoter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads what an artifact is from the registry — manifest, index and image configs — for the image
 * checks of a stage's test suites (labels, user, platform, size) without pulling layers.
 */
public final class ImageInspector {

    /** Configs of real images stay far below this; the bound keeps a hostile registry from filling memory. */
    static final long MAX_CONFIG_BYTES = 8L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient registry;

    public ImageInspector(RegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Inspects the artifact at {@code reference} (a digest, or a tag); for an index, each platform image
     * is read too, concurrently. Attestation manifests inside an index (buildx) are skipped: they are not
     * runnable images.
     */
    public ImageInfo inspect(String repository, String reference) {
        return RegistryClient.await(inspectAsync(repository, reference));
    }

    public CompletableFuture<ImageInfo> inspectAsync(String repository, String reference) {
        Names.requireRepository(repository);
        Names.requireReference(reference);
        return registry.getManifestAsync(repository, reference).thenCompose(manifest -> {
            JsonNode root = parse(manifest.raw(), "manifest " + manifest.digest());
            if (manifest.isIndex()) {
                return platformImages(repository, manifest, root)
                        .thenApply(images -> new ImageInfo(repository, manifest.digest(), manifest.mediaType(),
                                manifest.size(), images));
            }
            if (Manifest.isImageManifestType(manifest.mediaType())) {
                return image(repository, manifest, root, null)
                        .thenApply(image -> new ImageInfo(repository, manifest.digest(), manifest.mediaType(),
                                manifest.size(), List.of(image)));
            }
            throw new RegistryException("manifest " + manifest.digest() + " in " + where(repository)
                    + " is a " + manifest.mediaType() + ", neither an image manifest nor an image index", 0);
        });
    }

    private CompletableFuture<List<PlatformImage>> platformImages(String repository, Manifest index, JsonNode root) {
        List<CompletableFuture<PlatformImage>> images = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            if (!Manifest.isImageManifestType(entry.path("mediaType").asText())
                    || entry.path("annotations").has("vnd.docker.reference.type")) {
                continue;
            }
            String digest = descriptorDigest(entry, "index " + index.digest(), repository);
            Platform declared = platform(entry.path("platform"));
            images.add(registry.getManifestAsync(repository, digest).thenCompose(child ->
                    image(repository, child, parse(child.raw(), "manifest " + child.digest()), declared)));
        }
        return CompletableFuture.allOf(images.toArray(CompletableFuture[]::new))
                .thenApply(done -> images.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<PlatformImage> image(String repository, Manifest manifest, JsonNode root,
                                                   Platform declared) {
        String context = "manifest " + manifest.digest();
        JsonNode config = root.path("config");
        String configDigest = descriptorDigest(config, context, repository);
        long configSize = config.path("size").asLong(0);
        List<Long> layerSizes = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            layerSizes.add(layer.path("size").asLong(0));
        }
        long total = configSize + layerSizes.stream().mapToLong(Long::longValue).sum();
        return registry.getBlobAsync(repository, configDigest, MAX_CONFIG_BYTES).thenApply(bytes -> {
            JsonNode json = parse(bytes, "config " + configDigest);
            Platform platform = platform(json);
            if (platform.os().isEmpty() && declared != null) {
                platform = declared;
            }
            JsonNode runtime = json.path("config");
            Map<String, String> labels = new TreeMap<>();
            runtime.path("Labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
            return new PlatformImage(manifest.digest(), manifest.mediaType(), platform, configDigest, labels,
                    runtime.path("User").asText(""), configSize, layerSizes, total);
        });
    }

    private String descriptorDigest(JsonNode descriptor, String context, String repository) {
        String digest = descriptor.path("digest").asText("");
        if (!Names.isDigest(digest)) {
            throw new RegistryException(context + " in " + where(repository)
                    + " refers to an invalid digest '" + digest + "'", 0);
        }
        return digest;
    }

    private static Platform platform(JsonNode node) {
        return new Platform(node.path("os").asText(""), node.path("architecture").asText(""),
                node.path("variant").asText(""));
    }

    private JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (IOException e) {
            throw new RegistryException(what + " in " + registry.registry() + " is not a JSON object", 0);
        }
    }

    private String where(String repository) {
        return registry.registry() + "/" + repository;
    }
}
