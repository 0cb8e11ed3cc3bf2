package dev.promoter.build.event;

import dev.promoter.kit.problem.ProblemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An OCI package URL as CDEvents names artifacts: {@code pkg:oci/<name>@<url-encoded digest>?repository_url=<repo>}.
 *
 * @param repository the image repository, {@code host[:port]/path}
 * @param digest     the digest as written, decoded (checked later, so a malformed one is a 422)
 */
record OciPurl(String repository, String digest) {

    static OciPurl parse(String purl) {
        if (!purl.startsWith("pkg:oci/")) {
            throw invalid(purl, "it must start with pkg:oci/");
        }
        String rest = purl.substring("pkg:oci/".length());
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int query = rest.indexOf('?');
        String qualifiers = query < 0 ? "" : rest.substring(query + 1);
        String nameAndVersion = query < 0 ? rest : rest.substring(0, query);
        int at = nameAndVersion.indexOf('@');
        if (at < 0) {
            throw invalid(purl, "it has no @<digest> version");
        }
        String name = nameAndVersion.substring(0, at);
        String digest = URLDecoder.decode(nameAndVersion.substring(at + 1), StandardCharsets.UTF_8);
        String repository = null;
        for (String qualifier : qualifiers.split("&")) {
            if (qualifier.startsWith("repository_url=")) {
                repository = URLDecoder.decode(qualifier.substring("repository_url=".length()), StandardCharsets.UTF_8);
            }
        }
        if (repository == null || repository.isBlank()) {
            throw invalid(purl, "it has no repository_url qualifier naming <registry>/<path> of " + name);
        }
        return new OciPurl(repository, digest);
    }

    private static ProblemException invalid(String purl, String why) {
        String shown = purl.length() > 120 ? purl.substring(0, 120) + "…" : purl;
        return ProblemException.badRequest("subject.id '" + shown + "' is not an OCI package URL: " + why
                + " (pkg:oci/<name>@sha256%3A<hex>?repository_url=<registry>/<path>)", List.of());
    }
}
