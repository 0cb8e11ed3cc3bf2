package dev.promoter.kit.cloudevents;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.promoter.kit.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One CloudEvent 1.0 received over the CloudEvents HTTP binding, its data a JSON object (a CDEvent).
 *
 * <p>The content type picks the mode: {@code application/cloudevents+json} is structured mode (the whole event as
 * JSON, the data in {@code data} or {@code data_base64}); {@code application/json} is binary mode (the attributes
 * in {@code ce-*} headers, percent-decoded as the binding says, the data as the body). Anything else, batches
 * included, is 415. Every other refusal is
 * a 400 problem saying what to fix; attributes that are missing or wrong are listed together in its errors.
 *
 * @param id     the CloudEvents id: with the source, the key a redelivery is recognised by
 * @param source the CloudEvents source
 * @param type   the CloudEvents type, for a CDEvent its {@code context.type}
 * @param data   the event data, a JSON object
 */
public record HttpCloudEvent(String id, String source, String type, JsonNode data) {

    /** The content type of structured mode. */
    public static final String STRUCTURED = "application/cloudevents+json";
    /** The content type of binary mode: the data is JSON. */
    public static final String BINARY = "application/json";
    /** The longest id taken, in characters. */
    public static final int MAX_ID = 200;

    private static final String MODES = "send one CloudEvent, in binary mode (Content-Type: application/json, the"
            + " ce-specversion: 1.0, ce-id, ce-source and ce-type headers, the event data as the body) or in structured"
            + " mode (Content-Type: application/cloudevents+json, the whole event as JSON)";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Reads the event from a JAX-RS request's headers and body. */
    public static HttpCloudEvent read(HttpHeaders headers, byte[] body) {
        return read(headers::getHeaderString, body);
    }

    /**
     * Reads the event from the request's headers and body.
     *
     * @param header a header's value by name, case-insensitively; null when absent
     * @param body   the request body, null or empty when there is none
     */
    public static HttpCloudEvent read(Function<String, String> header, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        String contentType = header.apply("Content-Type");
        String mediaType = mediaType(contentType);
        if (STRUCTURED.equals(mediaType)) {
            return structured(raw);
        }
        if (BINARY.equals(mediaType)) {
            return binary(header, raw);
        }
        String got = contentType == null ? "no Content-Type" : "Content-Type " + quote(contentType);
        throw new ProblemException(415, "Unsupported Media Type", MODES + "; got " + got
                + (mediaType != null && mediaType.startsWith("application/cloudevents-batch")
                ? " (batches are not accepted)" : ""));
    }

    private static HttpCloudEvent binary(Function<String, String> header, byte[] body) {
        List<String> errors = new ArrayList<>();
        String specVersion = ceHeader(header, "ce-specversion", errors);
        String id = ceHeader(header, "ce-id", errors);
        String source = ceHeader(header, "ce-source", errors);
        String type = ceHeader(header, "ce-type", errors);
        check(specVersion, id, source, type, "ce-", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the CloudEvent's attributes are missing or wrong; binary mode needs the"
                    + " headers ce-specversion: 1.0, ce-id (at most " + MAX_ID + " characters), ce-source and ce-type",
                    errors);
        }
        if (body.length == 0) {
            throw ProblemException.badRequest("the request has no body; in binary mode the body is the event data,"
                    + " a JSON object", List.of());
        }
        return new HttpCloudEvent(id, source, type, object(body, "the event data in the body"));
    }

    private static HttpCloudEvent structured(byte[] body) {
        if (body.length == 0) {
            throw ProblemException.badRequest("the request has no body; in structured mode the body is the whole"
                    + " CloudEvent as a JSON object", List.of());
        }
        JsonNode event = object(body, "the structured CloudEvent");
        List<String> errors = new ArrayList<>();
        String specVersion = attribute(event, "specversion", errors);
        String id = attribute(event, "id", errors);
        String source = attribute(event, "source", errors);
        String type = attribute(event, "type", errors);
        check(specVersion, id, source, type, "", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the CloudEvent's attributes are missing or wrong; structured mode"
                    + " needs specversion \"1.0\", id (at most " + MAX_ID + " characters), source and type, each a"
                    + " string", errors);
        }
        return new HttpCloudEvent(id, source, type, data(event));
    }

    /**
     * A binary-mode attribute: the header's value percent-decoded, as the HTTP binding (3.1.3.2) has senders encode
     * what is not printable ASCII ({@code %XX} of UTF-8 bytes; a {@code +} is itself, not a space). Null when absent;
     * a value that is not valid percent-encoding is listed as an error.
     */
    private static String ceHeader(Function<String, String> header, String name, List<String> errors) {
        String value = header.apply(name);
        if (value == null || value.indexOf('%') < 0) {
            return value;
        }
        String decoded = percentDecoded(value);
        if (decoded == null) {
            errors.add(name + ": is not valid percent-encoding; encode each byte of the UTF-8 value that is not"
                    + " printable ASCII, and '%' itself, as %XX");
        }
        return decoded;
    }

    /** The value with each {@code %XX} turned into its byte and the bytes read as UTF-8; null when malformed. */
    static String percentDecoded(String value) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                if (c > 0x7f) {
                    return null;
                }
                bytes.write(c);
                continue;
            }
            int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
            if (low < 0) {
                return null;
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** A structured attribute's text, or null; a present value that is not a string is listed as an error. */
    private static String attribute(JsonNode event, String name, List<String> errors) {
        JsonNode value = event.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(name + ": must be a string");
            return null;
        }
        return value.textValue();
    }

    private static void check(String specVersion, String id, String source, String type, String prefix,
                              List<String> errors) {
        if (required(specVersion, prefix + "specversion", errors) && !"1.0".equals(specVersion)) {
            errors.add(prefix + "specversion: must be 1.0, got " + quote(specVersion));
        }
        if (required(id, prefix + "id", errors) && id.length() > MAX_ID) {
            errors.add(prefix + "id: may be at most " + MAX_ID + " characters, got " + id.length());
        }
        required(source, prefix + "source", errors);
        required(type, prefix + "type", errors);
    }

    /** True when the attribute has a value; otherwise lists it as required, unless it is listed as wrong already. */
    private static boolean required(String value, String name, List<String> errors) {
        if (value != null && !value.isBlank()) {
            return true;
        }
        if (errors.stream().noneMatch(error -> error.startsWith(name + ":"))) {
            errors.add(name + ": is required");
        }
        return false;
    }

    /** Structured mode's data: {@code data} as a JSON object, or {@code data_base64} holding one. */
    private static JsonNode data(JsonNode event) {
        JsonNode data = event.get("data");
        JsonNode base64 = event.get("data_base64");
        boolean hasData = data != null && !data.isNull();
        boolean hasBase64 = base64 != null && !base64.isNull();
        if (hasData && hasBase64) {
            throw ProblemException.badRequest("the CloudEvent has both data and data_base64; send the event data in"
                    + " one of them", List.of());
        }
        if (hasBase64) {
            if (!base64.isTextual()) {
                throw ProblemException.badRequest("data_base64 must be a string, the base64 of the event data",
                        List.of());
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(base64.textValue());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("data_base64 is not base64 (RFC 4648); encode the event data's"
                        + " JSON with it, or send the JSON object as data", List.of());
            }
            return object(decoded, "the event data in data_base64");
        }
        if (!hasData) {
            throw ProblemException.badRequest("the CloudEvent has no data; send the event data as a JSON object in"
                    + " data (or base64-encoded in data_base64)", List.of());
        }
        if (!data.isObject()) {
            throw ProblemException.badRequest("the CloudEvent's data must be the event data as a JSON object, got "
                    + data.getNodeType().toString().toLowerCase(Locale.ROOT), List.of());
        }
        return data;
    }

    private static JsonNode object(byte[] json, String what) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw ProblemException.badRequest(what + " is empty; it must be a JSON object", List.of());
            }
            if (!tree.isObject()) {
                throw ProblemException.badRequest(what + " must be a JSON object, got "
                        + tree.getNodeType().toString().toLowerCase(Locale.ROOT), List.of());
            }
            return tree;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw ProblemException.badRequest(what + " is not valid JSON" + where, List.of());
        } catch (IOException e) {
            throw ProblemException.badRequest(what + " cannot be read", List.of());
        }
    }

    /** The type/subtype of a Content-Type, lower case, parameters dropped; null when there is none. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.isEmpty() ? null : type.toLowerCase(Locale.ROOT);
    }

    private static String quote(String value) {
        return "'" + (value.length() > 80 ? value.substring(0, 80) + "…" : value) + "'";
    }
}
