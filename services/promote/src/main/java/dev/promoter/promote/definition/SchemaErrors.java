package dev.promoter.promote.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * Turns the schema validator's findings into messages a person can act on: the field path in the
 * document's own terms ({@code stages[1].health.timeout}), what is expected, and what was found.
 */
final class SchemaErrors {

    // Patterns that say little to a reader get a sentence instead; keyed by the schema's $defs name.
    private static final Map<String, String> EXPLAINED = Map.of(
            "repository", "must be an OCI repository including its registry, <host>[:<port>]/<path> with a"
                    + " lower-case path (e.g. 127.0.0.1:15000/shop/cart)",
            "positiveDuration", "must be a duration above zero written <n>ms, <n>s or <n>m (e.g. 500ms, 5s, 2m)",
            "duration", "must be a duration written <n>ms, <n>s or <n>m (e.g. 0s, 30s, 2m)",
            "httpUrl", "must be an absolute http or https URL without user info"
                    + " (e.g. http://127.0.0.1:18080/health)",
            "stage", "must be a mapping with at least a name (e.g. '- name: dev')");
    private static final Pattern DEFINITION_KEYWORD = Pattern.compile("/\\$defs/([^/]+)/(pattern|type)");

    private static final Map<String, String> TYPE_NAMES = Map.of(
            "object", "a mapping",
            "array", "a list",
            "string", "text",
            "integer", "a whole number",
            "number", "a number",
            "boolean", "true or false",
            "null", "nothing");

    private final JsonNode schema;

    SchemaErrors(JsonNode schema) {
        this.schema = schema;
    }

    /** One message per finding, in the order the fields appear in the document. */
    List<String> messages(Collection<ValidationMessage> findings, JsonNode document) {
        List<ValidationMessage> ordered = new ArrayList<>(findings);
        ordered.sort(Comparator.comparing(finding -> documentOrder(finding, document),
                SchemaErrors::compareOrder));
        Set<String> messages = new LinkedHashSet<>();
        for (ValidationMessage finding : ordered) {
            messages.add(message(finding));
        }
        return List.copyOf(messages);
    }

    String message(ValidationMessage finding) {
        String path = path(finding.getInstanceLocation());
        JsonNode value = finding.getInstanceNode();
        JsonNode keywordValue = finding.getSchemaNode();
        String fragment = fragment(finding);
        String keyword = finding.getType();

        Matcher definition = DEFINITION_KEYWORD.matcher(fragment);
        if (definition.matches() && EXPLAINED.containsKey(definition.group(1))) {
            return Wording.at(path, EXPLAINED.get(definition.group(1)) + ", got " + Wording.show(value));
        }
        return switch (keyword) {
            case "additionalProperties" -> Wording.at(Wording.field(path, finding.getProperty()),
                    "unknown field; allowed here: " + String.join(", ", allowedFields(fragment)));
            case "required" -> Wording.at(Wording.field(path, finding.getProperty()), "is required");
            case "type" -> Wording.at(path, "must be " + typeName(keywordValue) + ", got " + Wording.show(value));
            case "enum" -> Wording.at(path, "must be one of " + texts(keywordValue) + ", got " + Wording.show(value));
            case "pattern" -> Wording.at(path, "must match " + unanchored(keywordValue.asText())
                    + ", got " + Wording.show(value));
            case "minimum" -> Wording.at(path, "must be at least " + keywordValue.asText() + ", got " + Wording.show(value));
            case "maximum" -> Wording.at(path, "must be at most " + keywordValue.asText() + ", got " + Wording.show(value));
            case "minItems" -> Wording.at(path, keywordValue.asInt() == 1
                    ? "must list at least one entry"
                    : "must list at least " + keywordValue.asInt() + " entries, got " + value.size());
            case "maxItems" -> Wording.at(path, "must list at most " + keywordValue.asInt() + " entries, got " + value.size());
            case "minLength" -> Wording.at(path, keywordValue.asInt() == 1
                    ? "must not be empty"
                    : "must be at least " + keywordValue.asInt() + " characters long, got " + Wording.show(value));
            case "maxLength" -> Wording.at(path, "must be at most " + keywordValue.asInt()
                    + " characters long, got " + value.asText().length());
            case "uniqueItems" -> Wording.at(path, "lists " + Wording.show(firstRepeated(value))
                    + " more than once; keep one");
            default -> Wording.at(path, Wording.cut(finding.getMessage(), 160));
        };
    }

    private List<String> allowedFields(String fragment) {
        String parent = fragment.substring(0, fragment.lastIndexOf('/'));
        Iterator<String> names = schema.at(parent).path("properties").fieldNames();
        List<String> allowed = new ArrayList<>();
        names.forEachRemaining(allowed::add);
        return allowed;
    }

    private static String fragment(ValidationMessage finding) {
        String location = finding.getSchemaLocation().toString();
        int hash = location.indexOf('#');
        return hash < 0 ? "" : location.substring(hash + 1);
    }

    private static String path(JsonNodePath location) {
        String path = "";
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? Wording.index(path, index) : Wording.field(path, element.toString());
        }
        return path;
    }

    private static String typeName(JsonNode type) {
        if (type.isArray()) {
            return String.join(" or ", StreamSupport.stream(type.spliterator(), false)
                    .map(name -> TYPE_NAMES.getOrDefault(name.asText(), name.asText())).toList());
        }
        return TYPE_NAMES.getOrDefault(type.asText(), type.asText());
    }

    private static String texts(JsonNode values) {
        return String.join(", ", StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).toList());
    }

    // Messages quote a pattern the way the docs write it: [a-z0-9][a-z0-9-]{0,62}, not ^...$.
    private static String unanchored(String pattern) {
        String text = pattern.startsWith("^") ? pattern.substring(1) : pattern;
        return text.endsWith("$") ? text.substring(0, text.length() - 1) : text;
    }

    private static JsonNode firstRepeated(JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode item : array) {
            if (!seen.add(item)) {
                return item;
            }
        }
        return array;
    }

    // A finding's position as the indexes of its path's steps in the document: fields by their
    // place in their mapping, list entries by index; absent fields (required ones) sort last.
    private static List<Integer> documentOrder(ValidationMessage finding, JsonNode document) {
        JsonNodePath location = finding.getInstanceLocation();
        List<Integer> order = new ArrayList<>();
        JsonNode node = document;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                order.add(index);
                node = node.path(index);
            } else {
                order.add(fieldIndex(node, element.toString()));
                node = node.path(element.toString());
            }
        }
        // Unknown and missing fields are reported on their mapping; place them where the field is (or would be).
        if (finding.getProperty() != null) {
            order.add(fieldIndex(node, finding.getProperty()));
        }
        return order;
    }

    private static int fieldIndex(JsonNode object, String name) {
        int index = 0;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); index++) {
            if (names.next().equals(name)) {
                return index;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int compareOrder(List<Integer> left, List<Integer> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int compared = Integer.compare(left.get(i), right.get(i));
            if (compared != 0) {
                return compared;
            }
        }
        return Integer.compare(left.size(), right.size());
    }
}
