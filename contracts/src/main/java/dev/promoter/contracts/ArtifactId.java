package dev.promoter.contracts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The package URL that names one artifact in CDEvents,
 * {@code pkg:oci/<name>@sha256%3A<hex>?repository_url=<repository>}.
 *
 * @param repository the OCI repository, e.g. {@code registry.local/shop/cart}
 * @param digest     the artifact's digest
 */
public record ArtifactId(String repository, Digest digest) {

    private static final String SCHEME = "pkg:oci/";
    private static final String REPOSITORY_URL = "repository_url";
    private static final String FORMAT = "artifact id must look like"
            + " 'pkg:oci/<name>@sha256%3A<64 hex>?repository_url=<repository>'";

    public ArtifactId {
        Require.repository(repository);
        Require.present(digest, "digest");
    }

    public static ArtifactId of(String repository, Digest digest) {
        return new ArtifactId(repository, digest);
    }

    /** Reads a purl; the version may be written {@code sha256%3A} (canonical) or {@code sha256:}. */
    public static ArtifactId parse(String purl) {
        if (purl == null || !purl.startsWith(SCHEME)) {
            throw invalid("it must start with 'pkg:oci/'", purl);
        }
        if (purl.indexOf('#') >= 0) {
            throw invalid("a subpath ('#...') is not allowed", purl);
        }
        int at = purl.indexOf('@');
        if (at < 0) {
            throw invalid("the '@<digest>' version is missing", purl);
        }
        int query = purl.indexOf('?', at);
        if (query < 0) {
            throw invalid("the repository_url qualifier is missing", purl);
        }
        String name = purl.substring(SCHEME.length(), at);
        Digest digest;
        try {
            digest = Digest.parse(percentDecode(purl.substring(at + 1, query), purl));
        } catch (IllegalArgumentException e) {
            throw invalid("its version is not a digest", purl);
        }
        String repository = qualifier(purl.substring(query + 1), purl);
        ArtifactId id;
        try {
            id = new ArtifactId(repository, digest);
        } catch (IllegalArgumentException e) {
            throw invalid("its repository_url is not an OCI repository", purl);
        }
        if (!id.name().equals(name)) {
            throw invalid("the name " + Require.quote(name) + " must be the last path segment of the repository",
                    purl);
        }
        return id;
    }

    /** The purl name: the last path segment of the repository. */
    public String name() {
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    /** The canonical purl. */
    public String purl() {
        return SCHEME + name() + "@sha256%3A" + digest.hex() + "?" + REPOSITORY_URL + "=" + repository;
    }

    @Override
    public String toString() {
        return purl();
    }

    private static String qualifier(String qualifiers, String purl) {
        for (String pair : qualifiers.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(REPOSITORY_URL)) {
                return percentDecode(pair.substring(eq + 1), purl);
            }
        }
        throw invalid("the repository_url qualifier is missing", purl);
    }

    // URLDecoder would turn '+' into a space, which purl does not do.
    private static String percentDecode(String value, String purl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else if (i + 2 < value.length() && isHex(value.charAt(i + 1)) && isHex(value.charAt(i + 2))) {
                out.write(Integer.parseInt(value, i + 1, i + 3, 16));
                i += 2;
            } else {
                throw invalid("'%' must start a two-digit hex escape", purl);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static IllegalArgumentException invalid(String problem, String purl) {
        return new IllegalArgumentException(FORMAT + ": " + problem + ", got " + Require.quote(purl));
    }
}
