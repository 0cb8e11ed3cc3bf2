package dev.promoter.oci;

import java.util.List;
import java.util.Optional;

/**
 * What an artifact is, read from the registry: its manifest's digest and media type and, for a single
 * image, that image; for an image index (multi-platform), one {@link PlatformImage} per platform.
 *
 * @param repository the repository it was read from
 * @param digest     the digest it was read by: the artifact's identity
 * @param mediaType  the top-level manifest's media type
 * @param size       the top-level manifest's size in bytes
 * @param images     the image itself, or the index's platform images in index order
 */
public record ImageInfo(String repository, String digest, String mediaType, long size, List<PlatformImage> images) {

    public ImageInfo {
        images = List.copyOf(images);
    }

    public boolean isIndex() {
        return Manifest.isIndexType(mediaType);
    }

    public List<Platform> platforms() {
        return images.stream().map(PlatformImage::platform).toList();
    }

    /** The image for a platform, e.g. {@code Platform.parse("linux/arm64")}. */
    public Optional<PlatformImage> image(Platform wanted) {
        return images.stream().filter(image -> image.platform().matches(wanted)).findFirst();
    }

    /** The only image: the artifact itself, or the single platform image of an index; otherwise ask per platform. */
    public PlatformImage image() {
        if (images.size() != 1) {
            throw new IllegalStateException(digest + " is an image index over " + platforms()
                    + "; pick one with image(Platform) or images()");
        }
        return images.get(0);
    }
}
