package dev.promoter.oci;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 9110 section 11.6.1), e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"}.
 */
record Challenge(String scheme, Map<String, String> params) {

    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

    Challenge {
        params = Map.copyOf(params);
    }

    boolean is(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    static List<Challenge> from(HttpHeaders headers) {
        List<Challenge> challenges = new ArrayList<>();
        for (String value : headers.allValues("WWW-Authenticate")) {
            challenges.addAll(parse(value));
        }
        return challenges;
    }

    /**
     * Parses every challenge of one header value. Quoted values may hold commas (a scope such as
     * {@code pull,push}), so splitting on ',' would be wrong; a new challenge starts where a token is
     * not followed by '='.
     */
    static List<Challenge> parse(String header) {
        List<Challenge> challenges = new ArrayList<>();
        Cursor in = new Cursor(header == null ? "" : header);
        while (true) {
            in.skip(" \t,");
            if (in.atEnd()) {
                return challenges;
            }
            String scheme = in.token();
            if (scheme.isEmpty()) {
                in.pos++;
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                in.skip(" \t");
                int mark = in.pos;
                String name = in.token();
                in.skip(" \t");
                if (name.isEmpty() || !in.at('=')) {
                    in.pos = mark;
                    break;
                }
                in.pos++;
                in.skip(" \t");
                String value = in.at('"') ? in.quoted() : in.bare();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                in.skip(" \t");
                if (!in.at(',')) {
                    break;
                }
                in.pos++;
            }
            challenges.add(new Challenge(scheme, params));
        }
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        boolean at(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        void skip(String chars) {
            while (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (!(Character.isLetterOrDigit(c) && c < 128) && TOKEN_CHARS.indexOf(c) < 0) {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        /** An unquoted value; read leniently up to ',' or space, since registries send realm URLs unquoted too. */
        String bare() {
            int start = pos;
            while (pos < text.length() && ", \t".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            return text.substring(start, pos);
        }

        String quoted() {
            StringBuilder value = new StringBuilder();
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            return value.toString();
        }
    }
}
