package dev.promoter.contracts;

import java.util.regex.Pattern;

/**
 * The content address of one artifact, {@code sha256:} followed by 64 lowercase hex characters.
 *
 * @param value the full digest, e.g. {@code sha256:0b31...3427}
 */
public record Digest(String value) {

    private static final String PREFIX = "sha256:";
    private static final int HEX_LENGTH = 64;
    private static final int SHORT_LENGTH = 12;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{" + HEX_LENGTH + "}");

    public Digest {
        if (value == null || !value.startsWith(PREFIX) || !HEX.matcher(value.substring(PREFIX.length())).matches()) {
            throw new IllegalArgumentException("digest must be 'sha256:' followed by 64 lowercase hex characters"
                    + hint(value) + ", got " + Require.quote(value));
        }
    }

    /** Reads a digest as a registry, a webhook or an event spells it. */
    public static Digest parse(String value) {
        return new Digest(value);
    }

    /** The 64 hex characters without the algorithm prefix. */
    public String hex() {
        return value.substring(PREFIX.length());
    }

    /** The first 12 hex characters, enough to tell artifacts apart in logs and ids. */
    public String shortForm() {
        return hex().substring(0, SHORT_LENGTH);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String hint(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return "";
        }
        int hexLength = value.length() - PREFIX.length();
        if (hexLength != HEX_LENGTH) {
            return " (the hex part has " + hexLength + ")";
        }
        return " (the hex part may only use 0-9 and a-f)";
    }
}
