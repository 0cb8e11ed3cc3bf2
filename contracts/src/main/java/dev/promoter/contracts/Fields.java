package dev.promoter.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Reads the members of one JSON object of a record, naming the exact path in every complaint. */
final class Fields {

    private final ObjectNode node;
    private final String path;
    // The path of the object the event record is read from (customData). A value the record rejects is named
    // from there, after the codec's "customData is not a valid ...", as the record's own messages name it.
    private final String recordPath;

    private Fields(ObjectNode node, String path, String recordPath) {
        this.node = node;
        this.path = path;
        this.recordPath = recordPath;
    }

    static Fields root(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new UnreadableEventException("the record must be a JSON object");
        }
        return new Fields((ObjectNode) root, "", "");
    }

    /** This object as the one an event record is read from: {@link #build} names places from here. */
    Fields asRecord() {
        return new Fields(node, path, path);
    }

    Fields object(String name) {
        Fields value = optionalObject(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    /** Absent and JSON null both read as null, as for {@link #optionalText}. */
    Fields optionalObject(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw wrongType(at(name), value, "an object");
        }
        return new Fields((ObjectNode) value, at(name), recordPath);
    }

    /** An array of objects; each element's complaints name its index, e.g. {@code policy.suites[1].name}. */
    List<Fields> objects(String name) {
        ArrayNode array = array(name);
        List<Fields> elements = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String elementPath = at(name) + "[" + i + "]";
            if (!element.isObject()) {
                throw wrongType(elementPath, element, "an object");
            }
            elements.add(new Fields((ObjectNode) element, elementPath, recordPath));
        }
        return elements;
    }

    /** An array of strings; a JSON null element is refused like any other non-string. */
    List<String> texts(String name) {
        ArrayNode array = array(name);
        List<String> elements = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isTextual()) {
                throw wrongType(at(name) + "[" + i + "]", element, "a string");
            }
            elements.add(element.textValue());
        }
        return elements;
    }

    String text(String name) {
        String value = optionalText(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    /** Absent and JSON null both read as null: producers omit empty optional fields. */
    String optionalText(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(at(name), value, "a string");
        }
        return value.textValue();
    }

    int integer(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(at(name), value, "an integer");
        }
        return value.intValue();
    }

    /** An integer that may be absent (or JSON null), read as {@code fallback} then. */
    int optionalInteger(String name, int fallback) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? fallback : integer(name);
    }

    /** An array of strings that may be absent (or JSON null), read as an empty list then. */
    List<String> optionalTexts(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? List.of() : texts(name);
    }

    /** An object whose members are all strings, in member order; absent (or JSON null) reads as empty. */
    java.util.Map<String, String> textMap(String name) {
        JsonNode value = node.get(name);
        java.util.Map<String, String> members = new java.util.LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return members;
        }
        if (!value.isObject()) {
            throw wrongType(at(name), value, "an object");
        }
        var fields = value.fields();
        while (fields.hasNext()) {
            var member = fields.next();
            if (!member.getValue().isTextual()) {
                throw wrongType(at(name) + "." + member.getKey(), member.getValue(), "a string");
            }
            members.put(member.getKey(), member.getValue().textValue());
        }
        return members;
    }

    long longInteger(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(at(name), value, "an integer");
        }
        return value.longValue();
    }

    boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw wrongType(at(name), value, "a boolean");
        }
        return value.booleanValue();
    }

    Digest digest(String name) {
        return Digest.parse(text(name));
    }

    /** An RFC 3339 date-time with an offset (as JSON Schema's date-time), or null when absent. */
    java.time.Instant optionalInstant(String name) {
        String value = optionalText(name);
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new UnreadableEventException(at(name) + " must be an RFC 3339 date-time, got '" + value + "'");
        }
    }

    Digest optionalDigest(String name) {
        String value = optionalText(name);
        return value == null ? null : Digest.parse(value);
    }

    /**
     * Makes a value of this object's members; when the value rejects them, the complaint names this object's
     * place in the record, e.g. {@code policy.suites[0].maxSizeBytes must be more than 0}. Not to be nested:
     * the inner place would be named twice.
     */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            String place = placeInRecord();
            if (place.isEmpty()) {
                throw e;
            }
            throw new IllegalArgumentException(place + "." + e.getMessage(), e);
        }
    }

    private String placeInRecord() {
        if (path.equals(recordPath)) {
            return "";
        }
        return recordPath.isEmpty() ? path : path.substring(recordPath.length() + 1);
    }

    private ArrayNode array(String name) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(at(name), value, "an array");
        }
        return (ArrayNode) value;
    }

    private JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw missing(name);
        }
        return value;
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private UnreadableEventException missing(String name) {
        return new UnreadableEventException(at(name) + " is missing");
    }

    private static UnreadableEventException wrongType(String path, JsonNode actual, String expected) {
        String type = actual.getNodeType().name().toLowerCase(Locale.ROOT);
        return new UnreadableEventException(path + " must be " + expected + ", got " + type);
    }
}
