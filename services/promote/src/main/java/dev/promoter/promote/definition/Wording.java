package dev.promoter.promote.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** How messages name a field and show a value: short, one line, never the whole of a large input. */
final class Wording {

    /** Values longer than this are cut: a message must stay readable and must not echo a pasted blob back. */
    static final int MAX_ECHO = 80;

    /** The path used for problems with the input as a whole. */
    static final String DOCUMENT = "(document)";

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Wording() {
    }

    /** {@code parent.name}; odd keys (spaces, dots, very long) are shown quoted in brackets. */
    static String field(String parent, String name) {
        if (!PLAIN_KEY.matcher(name).matches()) {
            return parent + "[" + quote(name) + "]";
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** {@code path: problem}, naming the whole document when the path is empty. */
    static String at(String path, String problem) {
        return (path.isEmpty() ? DOCUMENT : path) + ": " + problem;
    }

    /** A string value in quotes, control characters escaped, cut to {@link #MAX_ECHO} characters. */
    static String quote(String value) {
        // Escape a bounded prefix only: the value may be a quarter of a megabyte.
        return "'" + cut(escape(value.substring(0, Math.min(value.length(), MAX_ECHO + 1)))) + "'";
    }

    /** A value as a message shows it after "got ". */
    static String show(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "nothing";
        }
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return cut(value.asText());
    }

    static String cut(String text) {
        return cut(text, MAX_ECHO);
    }

    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\'' -> out.append("\\'");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
