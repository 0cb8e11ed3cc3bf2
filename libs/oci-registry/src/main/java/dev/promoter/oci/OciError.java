package dev.promoter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The first entry of an OCI error body, {@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"..."}]}}. */
record OciError(String code, String message) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED = 200;

    static OciError parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new OciError(null, null);
        }
        try {
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            String code = first.path("code").isTextual() ? first.path("code").asText() : null;
            String message = first.path("message").isTextual() ? first.path("message").asText() : null;
            if (code != null || message != null) {
                return new OciError(code, message);
            }
        } catch (IOException e) {
            // Not JSON: proxies and token servers answer text or HTML; quote its start below.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (text.startsWith("<")) {
            return new OciError(null, null);
        }
        return new OciError(null, text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text);
    }

    /** " (404 MANIFEST_UNKNOWN: manifest unknown)", for the end of an exception message. */
    String suffix(int status) {
        StringBuilder suffix = new StringBuilder(" (").append(status);
        if (code != null) {
            suffix.append(' ').append(code);
        }
        if (message != null && !message.isEmpty()) {
            suffix.append(code != null ? ": " : " ").append(message);
        }
        return suffix.append(')').toString();
    }
}
