package dev.promoter.oci;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One runnable image as its manifest and config describe it: what the image checks of a stage's test
 * suites read (labels, user, platform, sizes).
 *
 * @param digest       the image manifest's digest
 * @param mediaType    the image manifest's media type
 * @param platform     from the config (the index entry's platform when the config names none)
 * @param configDigest the config blob's digest
 * @param labels       the config's {@code config.Labels}, sorted by key; empty when there are none
 * @param user         the config's {@code config.User}; "" means the image runs as root
 * @param configSize   the config blob's size as the manifest states it
 * @param layerSizes   each layer's compressed size as the manifest states it, in order
 * @param totalSize    config plus layers: what a pull downloads at most
 */
public record PlatformImage(String digest, String mediaType, Platform platform, String configDigest,
                            Map<String, String> labels, String user, long configSize, List<Long> layerSizes,
                            long totalSize) {

    public PlatformImage {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        layerSizes = List.copyOf(layerSizes);
        user = user == null ? "" : user;
    }

    public Optional<String> label(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    /** True when {@code config.User} is empty or names root (user 0 or "root", with or without a group). */
    public boolean runsAsRoot() {
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return name.isEmpty() || name.equals("0") || name.equals("root");
    }
}
