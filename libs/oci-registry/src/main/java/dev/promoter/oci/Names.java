package dev.promoter.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The distribution spec's grammar for repository names, tags and digests, checked before any request. */
final class Names {

    static final String REPOSITORY_REGEX =
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*";
    static final String TAG_REGEX = "[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}";

    private static final Pattern REPOSITORY = Pattern.compile(REPOSITORY_REGEX);
    private static final Pattern TAG = Pattern.compile(TAG_REGEX);
    // Only sha256: it is what every registry computes, and it keeps one digest per artifact across the system.
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private Names() {
    }

    static String requireRepository(String repository) {
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("invalid repository name " + quote(repository)
                    + ": expected lowercase path components of [a-z0-9] separated by '.', '_', '__' or '-',"
                    + " joined by '/' (e.g. shop/cart)");
        }
        return repository;
    }

    static String requireTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag " + quote(tag)
                    + ": expected 1-128 characters of [a-zA-Z0-9_.-], not starting with '.' or '-' (e.g. prod)");
        }
        return tag;
    }

    static String requireDigest(String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("invalid digest " + quote(digest)
                    + ": expected sha256: followed by 64 lowercase hex characters");
        }
        return digest;
    }

    /** A manifest reference is either a tag or a digest; anything with ':' must be a valid digest. */
    static String requireReference(String reference) {
        if (reference != null && reference.indexOf(':') >= 0) {
            return requireDigest(reference);
        }
        return requireTag(reference);
    }

    static boolean isDigest(String value) {
        return value != null && DIGEST.matcher(value).matches();
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String quote(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
