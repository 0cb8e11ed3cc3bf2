package dev.promoter.contracts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Argument checks shared by the records, so every rejection reads the same way. */
final class Require {

    // The OCI distribution reference grammar without tag or digest: an optional registry host[:port],
    // then lowercase path components. It also keeps the purl's repository_url free of characters
    // that would need percent-encoding.
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY =
            Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final int MAX_REPOSITORY_LENGTH = 255;
    // Applications, stages and suites are path segments of the API and of subject ids, and Kafka keys.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    // Suite kinds are open-ended: a consumer must read a kind it does not know yet and report it, not choke on it.
    private static final Pattern KIND = Pattern.compile("[a-z0-9-]{1,64}");
    // Slack's conversation ids (C… public, G… private, D… direct) or a channel name as people type it.
    private static final Pattern SLACK_CHANNEL = Pattern.compile("[CDG][A-Z0-9]{8,20}|#[a-z0-9][a-z0-9._-]{0,79}");
    private static final int MAX_ECHO = 80;

    private Require() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static String name(String value, String field) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1 to 128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit, got " + quote(value));
        }
        return value;
    }

    /** An optional text is either absent or says something; an empty one would break CDEvents' minLength. */
    static String optionalText(String value, String field) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " must be null or not blank");
        }
        return value;
    }

    static String slackChannel(String value, String field) {
        if (value == null || !SLACK_CHANNEL.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be a Slack channel id such as C0123ABCD or a channel"
                    + " name such as #releases, got " + quote(value));
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String kind(String value, String field) {
        if (value == null || !KIND.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1 to 64 lowercase letters, digits or '-',"
                    + " such as 'image-checks', got " + quote(value));
        }
        return value;
    }

    /** A URL a service can call: absolute, http or https (lowercase, as RFC 3986 producers write it), with a host. */
    static URI httpUrl(URI value, String field) {
        present(value, field);
        String scheme = value.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || value.isOpaque() || value.getHost() == null) {
            throw notHttpUrl(field, value.toString());
        }
        return value;
    }

    /** Reads a URL as {@link #httpUrl(URI, String)} accepts it, with the same complaint for text that is no URI. */
    static URI httpUrl(String value, String field) {
        try {
            return httpUrl(new URI(present(value, field)), field);
        } catch (URISyntaxException e) {
            throw notHttpUrl(field, value);
        }
    }

    static String repository(String value) {
        if (value == null || value.length() > MAX_REPOSITORY_LENGTH || !REPOSITORY.matcher(value).matches()) {
            throw new IllegalArgumentException("repository must be an OCI repository such as"
                    + " 'registry.local/shop/cart' (optional host[:port], then lowercase path components),"
                    + " got " + quote(value));
        }
        return value;
    }

    private static IllegalArgumentException notHttpUrl(String field, String value) {
        return new IllegalArgumentException(field + " must be an absolute http:// or https:// URL with a host, got "
                + quote(value));
    }

    /** Quotes user input for an error message, cut short so a hostile payload cannot flood logs. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= MAX_ECHO) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, MAX_ECHO) + "...' (" + value.length() + " characters)";
    }
}
