package dev.promoter.test.suite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.promoter.oci.ImageInfo;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.RegistryClient;
import dev.promoter.test.config.TestConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What image checks read about an artifact (its manifest, configs and layer sizes), kept by repository and digest: a
 * digest names the same bytes for ever, and the same artifact is checked in every stage it enters. Only a complete
 * read is kept; a failed one is asked again next time. Bounded (least recently used go first).
 */
@ApplicationScoped
class ImageInputs {

    private final ImageInspector inspector;
    private final Cache<String, ImageInfo> inspected;

    @jakarta.inject.Inject
    ImageInputs(RegistryClient registry, TestConfig config) {
        this(registry, config.suites().imageCacheSize());
    }

    ImageInputs(RegistryClient registry, int maximumSize) {
        this.inspector = new ImageInspector(registry);
        this.inspected = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /**
     * The artifact {@code digest} in {@code repository}, from the registry the first time. Keyed by the repository too:
     * that the digest is there is part of the answer. Blocks on the registry; call it on a worker thread.
     */
    ImageInfo inspect(String repository, String digest) {
        return inspected.get(repository + "@" + digest, key -> inspector.inspect(repository, digest));
    }
}
