package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published JSON Schema itself: strict, self-contained, and saying the same defaults as the parser. */
class PipelineDefinitionSchemaTest {

    private static final JsonNode SCHEMA = readSchema();

    @Test
    void isDraft2020_12() {
        assertThat(SCHEMA.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void everyObjectRefusesUnknownFields() {
        List<String> open = new ArrayList<>();
        walk(SCHEMA, "#", (node, pointer) -> {
            if ("object".equals(node.path("type").asText()) || node.has("properties")) {
                // A map has no fields, only entries: typed by its values' schema (http headers, expectedJson), or
                // also closed by its propertyNames (people, groups).
                boolean map = node.path("additionalProperties").isObject()
                        && (!node.has("properties") || node.has("propertyNames"));
                if (!map && (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").asBoolean())) {
                    open.add(pointer);
                }
            }
        });

        assertThat(open).isEmpty();
    }

    @Test
    void refersToNothingOutsideItself() {
        List<String> refs = new ArrayList<>();
        walk(SCHEMA, "#", (node, pointer) -> {
            if (node.has("$ref")) {
                refs.add(node.get("$ref").asText());
            }
        });

        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(ref).startsWith("#/$defs/"));
    }

    @Test
    void defaultsAnnotatedInTheSchemaAreTheParsersDefaults() {
        JsonNode suite = SCHEMA.at("/$defs/suite/properties");
        JsonNode health = SCHEMA.at("/$defs/health/properties");

        assertThat(names(SCHEMA.at("/properties/stages/default"))).isEqualTo(PipelineDefinitionParser.DEFAULT_STAGES);
        assertThat(texts(suite.at("/requiredLabels/default"))).isEqualTo(PipelineDefinitionParser.DEFAULT_REQUIRED_LABELS);
        assertThat(suite.at("/nonRoot/default").asBoolean()).isEqualTo(PipelineDefinitionParser.DEFAULT_NON_ROOT);
        assertThat(suite.at("/maxSizeBytes/default").asLong()).isEqualTo(PipelineDefinitionParser.DEFAULT_MAX_SIZE_BYTES);
        assertThat(Durations.parse(health.at("/interval/default").asText())).isEqualTo(PipelineDefinitionParser.DEFAULT_INTERVAL);
        assertThat(Durations.parse(health.at("/timeout/default").asText())).isEqualTo(PipelineDefinitionParser.DEFAULT_TIMEOUT);
        assertThat(health.at("/failureThreshold/default").asInt()).isEqualTo(PipelineDefinitionParser.DEFAULT_FAILURE_THRESHOLD);
        assertThat(health.at("/successThreshold/default").asInt()).isEqualTo(PipelineDefinitionParser.DEFAULT_SUCCESS_THRESHOLD);
        assertThat(Durations.parse(health.at("/gracePeriod/default").asText()))
                .isEqualTo(PipelineDefinitionParser.DEFAULT_GRACE_PERIOD);
    }

    @Test
    void theSampleValidatesWithAPlainSchemaValidator() throws Exception {
        // Editors and CI linters will use the schema without our parser; it must stand on its own.
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA);
        JsonNode sample = new YAMLMapper().readTree(Definitions.resource("definitions/shop-cart.yaml"));

        assertThat(schema.validate(sample)).isEmpty();
    }

    @Test
    void aPlainSchemaValidatorRefusesAnUnknownSuiteKind() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SCHEMA);
        JsonNode definition = new YAMLMapper().readTree(
                Definitions.MINIMAL + "stages: [{name: dev, suites: [{name: unit, kind: junit}]}]\n");

        assertThat(schema.validate(definition)).singleElement()
                .satisfies(finding -> assertThat(finding.getType()).isEqualTo("enum"));
    }

    private static List<String> names(JsonNode stages) {
        List<String> names = new ArrayList<>();
        stages.forEach(stage -> names.add(stage.path("name").asText()));
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private interface Visitor {
        void visit(JsonNode node, String pointer);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(node, pointer);
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                // "default" and "examples" hold instances, not schemas.
                if (!field.getKey().equals("default") && !field.getKey().equals("examples")) {
                    walk(field.getValue(), pointer + "/" + field.getKey(), visitor);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    private static JsonNode readSchema() {
        try {
            return new ObjectMapper().readTree(Definitions.resource(PipelineDefinitionParser.SCHEMA_RESOURCE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
