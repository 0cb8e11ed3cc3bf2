package dev.promoter.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A manifest exactly as the registry stores it: raw bytes, media type and the sha256 digest of those
 * bytes, which is the artifact's identity; pushing it again under another tag keeps that digest.
 */
public final class Manifest {

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** The four types the pipeline reads, in the order sent as Accept; without them a registry may convert. */
    public static final List<String> ACCEPTED_TYPES = List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    static final String ACCEPT_HEADER = String.join(", ", ACCEPTED_TYPES);

    private final String mediaType;
    private final byte[] bytes;
    private final String digest;

    private Manifest(String mediaType, byte[] bytes, String digest) {
        this.mediaType = mediaType;
        this.bytes = bytes;
        this.digest = digest;
    }

    /** A manifest from its bytes; the bytes are copied and hashed once. */
    public static Manifest of(String mediaType, byte[] bytes) {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
        if (mediaType.isBlank()) {
            throw new IllegalArgumentException("a manifest needs a media type");
        }
        byte[] copy = bytes.clone();
        return new Manifest(mediaType, copy, Names.sha256(copy));
    }

    /** For bytes this library just received or built and hashed; nobody else holds the array. */
    static Manifest trusted(String mediaType, byte[] bytes, String digest) {
        return new Manifest(mediaType, bytes, digest);
    }

    public String mediaType() {
        return mediaType;
    }

    public String digest() {
        return digest;
    }

    public long size() {
        return bytes.length;
    }

    /** A copy of the exact bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isIndex() {
        return isIndexType(mediaType);
    }

    static boolean isIndexType(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    static boolean isImageManifestType(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** Shared, not copied: only for reading inside this package. */
    byte[] raw() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest that && digest.equals(that.digest) && mediaType.equals(that.mediaType)
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
    }
}
