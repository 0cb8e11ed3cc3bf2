package dev.promoter.oci;

/**
 * What a registry says a tag or digest points at, without the body: the digest, the media type and the
 * manifest's size in bytes.
 */
public record ManifestRef(String digest, String mediaType, long size) {
}
