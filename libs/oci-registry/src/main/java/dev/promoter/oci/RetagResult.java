package dev.promoter.oci;

/** A tag moved to an artifact: the registry now answers {@code repository:tag} with this digest. */
public record RetagResult(String repository, String tag, String digest, String mediaType, long size) {
}
