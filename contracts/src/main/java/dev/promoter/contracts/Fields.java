package dev.promoter.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** Reads the members of one JSON object of a record, naming the exact path in every complaint. */
final class Fields {

    private final ObjectNode node;
    private final String path;

    private Fields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static Fields root(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new UnreadableEventException("the record must be a JSON object");
        }
        return new Fields((ObjectNode) root, "");
    }

    Fields object(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw missing(name);
        }
        if (!value.isObject()) {
            throw wrongType(name, "an object");
        }
        return new Fields((ObjectNode) value, at(name));
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
            throw wrongType(name, "a string");
        }
        return value.textValue();
    }

    int integer(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw missing(name);
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(name, "an integer");
        }
        return value.intValue();
    }

    Digest digest(String name) {
        return Digest.parse(text(name));
    }

    Digest optionalDigest(String name) {
        String value = optionalText(name);
        return value == null ? null : Digest.parse(value);
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private UnreadableEventException missing(String name) {
        return new UnreadableEventException(at(name) + " is missing");
    }

    private UnreadableEventException wrongType(String name, String expected) {
        String actual = node.get(name).getNodeType().name().toLowerCase(Locale.ROOT);
        return new UnreadableEventException(at(name) + " must be " + expected + ", got " + actual);
    }
}
