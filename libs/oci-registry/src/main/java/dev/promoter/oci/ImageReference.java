package dev.promoter.oci;

import java.util.Objects;
import java.util.Optional;

/**
 * An image reference as people write it ({@code 127.0.0.1:15000/shop/cart}, {@code ghcr.io/acme/cart:1.2},
 * {@code registry.local/shop/cart@sha256:...}) split into registry host:port, repository and optional tag or
 * digest.
 */
public final class ImageReference {

    /** Docker's convention for references without a registry host, e.g. {@code nginx}. */
    public static final String DEFAULT_REGISTRY = "docker.io";

    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;

    private ImageReference(String registry, String repository, String tag, String digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses a reference. The first path segment is the registry when it contains '.' or ':' or is
     * {@code localhost}; otherwise the registry is Docker Hub and a single-segment name gets Docker's
     * {@code library/} prefix.
     */
    public static ImageReference parse(String reference) {
        Objects.requireNonNull(reference, "reference");
        String rest = reference.trim();
        if (rest.isEmpty() || rest.contains("://")) {
            throw new IllegalArgumentException("invalid image reference '" + reference
                    + "': expected [host[:port]/]repository[:tag][@sha256:...] without a scheme");
        }
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Names.requireDigest(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        // A ':' after the last '/' separates the tag; one before it belongs to host:port.
        if (colon > rest.lastIndexOf('/')) {
            tag = Names.requireTag(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        String registry = DEFAULT_REGISTRY;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DEFAULT_REGISTRY) && rest.indexOf('/') < 0) {
            rest = "library/" + rest;
        }
        return new ImageReference(registry, Names.requireRepository(rest), tag, digest);
    }

    /** A reference from parts, each validated. */
    public static ImageReference of(String registry, String repository) {
        Objects.requireNonNull(registry, "registry");
        if (registry.isBlank() || registry.contains("/")) {
            throw new IllegalArgumentException("invalid registry '" + registry + "': expected host[:port]");
        }
        return new ImageReference(registry, Names.requireRepository(repository), null, null);
    }

    /** host[:port], e.g. {@code 127.0.0.1:15000}. */
    public String registry() {
        return registry;
    }

    /** The repository path inside the registry, e.g. {@code shop/cart}. */
    public String repository() {
        return repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    /** {@code registry/repository}, without tag or digest: the application's repository. */
    public String name() {
        return registry + "/" + repository;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, Names.requireTag(newTag), null);
    }

    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, null, Names.requireDigest(newDigest));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageReference that && registry.equals(that.registry)
                && repository.equals(that.repository) && Objects.equals(tag, that.tag)
                && Objects.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
