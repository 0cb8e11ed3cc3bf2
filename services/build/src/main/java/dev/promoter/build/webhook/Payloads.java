package dev.promoter.build.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.promoter.kit.problem.ProblemException;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;

/** Reading vendor payloads strictly, with answers that say what to fix. */
public final class Payloads {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Payloads() {
    }

    /** The body as a JSON object, or 400 saying where it broke. */
    public static JsonNode object(byte[] body, String what) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw ProblemException.badRequest("the " + what + " payload must be a JSON object", List.of());
            }
            return tree;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ProblemException.badRequest("the " + what + " payload is not valid JSON" + where, List.of());
        } catch (IOException e) {
            throw ProblemException.badRequest("the " + what + " payload cannot be read", List.of());
        }
    }

    /** 415 unless the content type is {@code expected} (parameters such as charset ignored). */
    public static void requireContentType(String contentType, String expected, String fix) {
        if (!hasType(contentType, expected)) {
            throw new ProblemException(415, "Unsupported Media Type", "the content type must be " + expected
                    + ", got " + Intake.quote(contentType) + "; " + fix);
        }
    }

    public static boolean hasType(String contentType, String expected) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return (type.getType() + "/" + type.getSubtype()).equalsIgnoreCase(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A text field at {@code pointer}, or null when absent, null or not text. */
    public static String text(JsonNode tree, String pointer) {
        JsonNode node = tree.at(pointer);
        return node.isTextual() ? node.textValue() : null;
    }

    /** A required text field, or 400 naming it. */
    public static String required(JsonNode tree, String pointer, String what) {
        String value = text(tree, pointer);
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("the " + what + " payload has no " + pointer.substring(1).replace('/', '.')
                    + "; send the payload as the vendor documents it", List.of());
        }
        return value;
    }
}
