package dev.promoter.promote.ui;

import dev.promoter.kit.blocking.Blocking;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The version people know an image by: its {@code org.opencontainers.image.version} label, else the short
 * {@code org.opencontainers.image.revision}. A digest's labels never change, so each is read from the registry once
 * and kept; a registry that does not answer leaves the cell without a version, and the next render asks again.
 */
@ApplicationScoped
public class ImageLabels {

    private static final Logger LOG = Logger.getLogger(ImageLabels.class);
    static final int MAX_KEPT = 10_000;

    private final RegistryClient registry;
    private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();

    ImageLabels(RegistryClient registry) {
        this.registry = registry;
    }

    /** The image's version or short revision; null when it has neither or the registry did not answer. */
    public Uni<String> version(String repository, String digest) {
        Optional<String> cached = known.get(digest);
        if (cached != null) {
            return Uni.createFrom().item(cached.orElse(null));
        }
        String path = ImageReference.parse(repository).repository();
        return Blocking.call(() -> {
                    var image = new ImageInspector(registry).inspect(path, digest).image();
                    return image.label("org.opencontainers.image.version")
                            .or(() -> image.label("org.opencontainers.image.revision")
                                    .map(r -> r.length() > 12 ? r.substring(0, 12) : r));
                })
                .invoke(found -> {
                    if (known.size() < MAX_KEPT) {
                        known.put(digest, found);
                    }
                })
                .map(found -> found.orElse(null))
                .onFailure().invoke(e -> LOG.debugf("no labels of %s: %s", digest, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
