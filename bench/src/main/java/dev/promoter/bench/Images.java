package dev.promoter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.Manifest;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Artifacts for the benchmark: one small real image per repository (a layer, a config with the revision label and
 * a non-root user, so image checks pass), and as many distinct artifacts of it as needed — the same manifest with
 * an annotation that makes its digest new, pushed by digest: one PUT each, like a build that changed little.
 */
final class Images {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final RegistryClient registry;
    private final String repository;
    private final String baseDigest;
    private final ObjectNode base;
    private final String mediaType;

    /** Pushes the base image into {@code repository} (as tag {@code base}). */
    Images(RegistryClient registry, String repository) {
        this.registry = registry;
        this.repository = repository;
        this.baseDigest = new ImageBuilder(registry)
                .file("/app/version.txt", repository + "\n")
                .label("org.opencontainers.image.revision", "0".repeat(40))
                .user("1000")
                .push(repository, "base");
        Manifest manifest = registry.getManifest(repository, baseDigest);
        this.mediaType = manifest.mediaType();
        try {
            this.base = (ObjectNode) JSON.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String repository() {
        return repository;
    }

    String baseDigest() {
        return baseDigest;
    }

    /** Pushes a new artifact of the base image and returns its digest. */
    String next() {
        ObjectNode manifest = base.deepCopy();
        manifest.putObject("annotations").put("dev.promoter.bench.artifact", Long.toString(SEQUENCE.incrementAndGet()));
        try {
            Manifest variant = Manifest.of(mediaType, JSON.writeValueAsBytes(manifest));
            return registry.putManifest(repository, variant.digest(), variant);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
