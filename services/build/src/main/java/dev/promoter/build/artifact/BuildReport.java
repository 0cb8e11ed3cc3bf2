package dev.promoter.build.artifact;

import dev.promoter.contracts.Digest;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a build says it made: an image of an application, by digest, with where it came from. As
 * received; {@link #validate()} lists everything wrong with it at once.
 */
public record BuildReport(String application, String repository, String digest, String commit, String buildUrl,
                          String author, Map<String, String> labels, String commitTime) {

    static final int MAX_LABELS = 64;
    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");
    static final int MAX_LABEL_VALUE = 512;

    /** A report without labels. */
    public BuildReport(String application, String repository, String digest, String commit, String buildUrl,
                       String author) {
        this(application, repository, digest, commit, buildUrl, author, null, null);
    }

    /** A report without a commit time. */
    public BuildReport(String application, String repository, String digest, String commit, String buildUrl,
                       String author, Map<String, String> labels) {
        this(application, repository, digest, commit, buildUrl, author, labels, null);
    }

    static final Pattern APPLICATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern REPOSITORY = Pattern.compile(
            "[A-Za-z0-9.-]+(:[0-9]{1,5})?/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
    static final int MAX_URL = 2048;
    static final int MAX_AUTHOR = 256;

    /** Every problem with the report, each naming the field and what to send instead; empty when valid. */
    List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (application == null || !APPLICATION.matcher(application).matches()) {
            errors.add("application: must be 1-63 lowercase letters, digits or '-', starting with a letter or digit, got "
                    + quote(application));
        }
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            errors.add("repository: must be <registry host[:port]>/<path> as in '127.0.0.1:15000/shop/cart', got "
                    + quote(repository));
        }
        if (digest == null) {
            errors.add("digest: is required ('sha256:' followed by 64 lowercase hex characters)");
        } else {
            try {
                Digest.parse(digest);
            } catch (IllegalArgumentException e) {
                errors.add("digest: " + e.getMessage());
            }
        }
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            errors.add("commit: must be a git commit id, 7-64 lowercase hex characters, got " + quote(commit));
        }
        if (commitTime != null && commitInstant() == null) {
            errors.add("commitTime: must be an RFC 3339 date-time with an offset, as in '2026-03-02T09:41:12Z', got "
                    + quote(commitTime));
        }
        if (buildUrl != null && !isHttpUrl(buildUrl)) {
            errors.add("buildUrl: must be an absolute http(s) URL of at most " + MAX_URL + " characters");
        }
        if (author != null && (author.isBlank() || author.length() > MAX_AUTHOR)) {
            errors.add("author: must be 1-" + MAX_AUTHOR + " characters when given");
        }
        if (labels != null) {
            if (labels.size() > MAX_LABELS) {
                errors.add("labels: at most " + MAX_LABELS + " labels, got " + labels.size());
            }
            labels.forEach((key, value) -> {
                if (key == null || !LABEL_KEY.matcher(key).matches()) {
                    errors.add("labels: key " + quote(key) + " must be 1-128 letters, digits, '.', '_', '/' or '-'");
                } else if (value == null || value.length() > MAX_LABEL_VALUE) {
                    errors.add("labels." + key + ": must be a string of at most " + MAX_LABEL_VALUE + " characters");
                }
            });
        }
        return errors;
    }

    /** When the commit was made; null when not given (or not a date-time, which {@link #validate()} reports). */
    Instant commitInstant() {
        if (commitTime == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(commitTime).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The registry host:port part of the repository. */
    String registry() {
        return repository.substring(0, repository.indexOf('/'));
    }

    /** The repository path inside its registry. */
    String repositoryPath() {
        return repository.substring(repository.indexOf('/') + 1);
    }

    private static boolean isHttpUrl(String value) {
        if (value.length() > MAX_URL) {
            return false;
        }
        try {
            URI uri = URI.create(value);
            return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() > 80 ? value.substring(0, 80) + "…" : value) + "'";
    }
}
