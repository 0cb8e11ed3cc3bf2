package dev.promoter.promote.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Reads one YAML document into a plain JSON tree, refusing what a pipeline definition has no use for and
 * what only opens doors: anchors and aliases ("billion laughs"), explicit tags (typed objects), duplicate
 * keys, several documents in one input, deep nesting.
 *
 * <p>Two passes over input already capped at {@link PipelineDefinitionParser#MAX_BYTES}. First SnakeYAML's
 * event parser alone, which constructs no objects and expands no aliases, refuses anchors, aliases and tags
 * and bounds the depth; it has to be this low level because Jackson drops the anchor of a scalar and reads
 * an alias as the anchor's name. Then Jackson turns the events into a tree, refusing duplicate keys and a
 * second document.
 */
final class YamlTreeReader {

    /** Far deeper than any valid definition (about six levels), far shallower than a stack overflow. */
    static final int MAX_DEPTH = 16;

    // The parser's own wording of a syntax error; it names characters and tokens, not whole values.
    private static final int PROBLEM_LENGTH = 160;
    private static final String YAML_TAG_PREFIX = "tag:yaml.org,2002:";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LoaderOptions options;
    private final YAMLFactory factory;

    YamlTreeReader(int maxBytes) {
        options = new LoaderOptions();
        options.setCodePointLimit(maxBytes);
        options.setMaxAliasesForCollections(0);
        // Duplicate keys stay "allowed" here because Jackson would then check them itself, with a message
        // that lacks the field path; the tree pass below refuses them with it.
        options.setAllowDuplicateKeys(true);
        factory = YAMLFactory.builder().loaderOptions(options).build();
    }

    /** The document's tree, or {@link InvalidPipelineDefinitionException} with one message on the first problem. */
    JsonNode read(byte[] yaml) {
        try {
            // Decoded once, so both passes read the same characters (Jackson alone misses UTF-16 byte order marks).
            String text = decode(yaml);
            refuseYamlOnlyFeatures(text);
            return tree(text);
        } catch (CharacterCodingException e) {
            throw invalid("", "is not UTF-8 text (nor UTF-16 with a byte order mark); save it as UTF-8");
        } catch (JsonProcessingException e) {
            throw invalid("", "is not valid YAML: " + describe(e));
        } catch (YAMLException e) {
            throw e.getCause() instanceof CharacterCodingException
                    ? invalid("", "is not UTF-8 text (nor UTF-16 with a byte order mark); save it as UTF-8")
                    : invalid("", "is not valid YAML: " + describe(e));
        } catch (IOException e) {
            throw invalid("", "cannot be read: " + Wording.cut(oneLine(e.getMessage()), PROBLEM_LENGTH));
        }
    }

    // SnakeYAML's reader: UTF-8 unless a byte order mark says UTF-16, and malformed bytes are an error.
    private static String decode(byte[] yaml) throws IOException {
        try (Reader reader = new UnicodeReader(new ByteArrayInputStream(yaml))) {
            StringBuilder text = new StringBuilder(yaml.length);
            char[] buffer = new char[8192];
            for (int read; (read = reader.read(buffer)) != -1; ) {
                text.append(buffer, 0, read);
            }
            return text.toString();
        }
    }

    // ---- pass 1: SnakeYAML events ----

    /** Where the event walk is inside one open mapping or list. */
    private static final class Open {
        final String path;
        final boolean mapping;
        int index;
        boolean atKey = true;
        String key;

        Open(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        /** The path of the node that starts now, moving past it. */
        String place(NodeEvent node) {
            if (!mapping) {
                return Wording.index(path, index++);
            }
            if (atKey) {
                if (node instanceof AliasEvent) {
                    return path;
                }
                if (!(node instanceof ScalarEvent scalar)) {
                    throw invalid(path, "uses a list or mapping as a key (line " + line(node)
                            + "); keys must be plain names");
                }
                key = scalar.getValue();
            }
            atKey = !atKey;
            return Wording.field(path, key);
        }
    }

    private void refuseYamlOnlyFeatures(String yaml) {
        Parser events = new ParserImpl(new StreamReader(yaml), options);
        Deque<Open> open = new ArrayDeque<>();
        Event event;
        do {
            event = events.getEvent();
            if (event instanceof NodeEvent node) {
                String path = open.isEmpty() ? "" : open.peek().place(node);
                refuse(node, path);
                if (node instanceof CollectionStartEvent) {
                    if (open.size() >= MAX_DEPTH) {
                        throw invalid(path, "is nested deeper than " + MAX_DEPTH + " levels (line " + line(node)
                                + "); a pipeline definition needs about six");
                    }
                    open.push(new Open(path, node instanceof MappingStartEvent));
                }
            } else if (event instanceof CollectionEndEvent) {
                open.pop();
            }
        } while (!(event instanceof StreamEndEvent));
    }

    private static void refuse(NodeEvent node, String path) {
        if (node instanceof AliasEvent) {
            throw invalid(path, "uses the YAML alias *" + Wording.cut(node.getAnchor()) + " (line " + line(node)
                    + "); anchors and aliases are not allowed, write the value out");
        }
        if (node.getAnchor() != null) {
            throw invalid(path, "defines the YAML anchor &" + Wording.cut(node.getAnchor()) + " (line " + line(node)
                    + "); anchors and aliases are not allowed, write the value out");
        }
        String tag = node instanceof ScalarEvent scalar ? scalar.getTag()
                : node instanceof CollectionStartEvent collection ? collection.getTag() : null;
        if (tag != null) {
            String shown = tag.startsWith(YAML_TAG_PREFIX) ? "!!" + tag.substring(YAML_TAG_PREFIX.length()) : tag;
            throw invalid(path, "carries the YAML tag " + Wording.cut(shown) + " (line " + line(node)
                    + "); tags are not allowed, write the plain value");
        }
    }

    private static int line(Event event) {
        return event.getStartMark() == null ? 0 : event.getStartMark().getLine() + 1;
    }

    // ---- pass 2: Jackson tree ----

    private JsonNode tree(String yaml) throws IOException {
        try (YAMLParser parser = factory.createParser(yaml)) {
            if (parser.nextToken() == null) {
                throw invalid("", "is empty; write at least application and repository");
            }
            JsonNode root = value(parser, "");
            if (parser.nextToken() != null) {
                throw invalid("", "holds more than one YAML document (a second '---', line "
                        + parser.currentTokenLocation().getLineNr() + "); put one pipeline definition per input");
            }
            return root;
        }
    }

    // Recursion is safe: pass 1 has bounded the depth.
    private JsonNode value(YAMLParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw invalid(path, "ends before its value");
        }
        return switch (token) {
            case START_OBJECT -> object(parser, path);
            case START_ARRAY -> array(parser, path);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> NODES.nullNode();
            default -> throw invalid(path, "holds a value a pipeline definition cannot use (" + token + ", line "
                    + parser.currentTokenLocation().getLineNr() + "); write text, numbers, true/false, lists, mappings");
        };
    }

    private ObjectNode object(YAMLParser parser, String path) throws IOException {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String child = Wording.field(path, name);
            // Jackson would keep the last of two equal keys, while a person reading the file may see the first.
            if (object.has(name)) {
                throw invalid(child, "appears twice in the same mapping (line "
                        + parser.currentTokenLocation().getLineNr() + "); keep one");
            }
            parser.nextToken();
            object.set(name, value(parser, child));
        }
        return object;
    }

    private ArrayNode array(YAMLParser parser, String path) throws IOException {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(parser, Wording.index(path, index++)));
        }
        return array;
    }

    // ---- messages ----

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof YAMLException yaml) {
            return describe(yaml);
        }
        String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
        return where + Wording.cut(oneLine(e.getOriginalMessage()), PROBLEM_LENGTH);
    }

    private static String describe(YAMLException e) {
        if (e instanceof MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
            return where + Wording.cut(oneLine(marked.getProblem()) + context, PROBLEM_LENGTH);
        }
        return Wording.cut(oneLine(e.getMessage()), PROBLEM_LENGTH);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    private static InvalidPipelineDefinitionException invalid(String path, String problem) {
        return new InvalidPipelineDefinitionException(List.of(Wording.at(path, problem)));
    }
}
