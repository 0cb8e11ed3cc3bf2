package dev.promoter.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON Schemas the tests validate against: the CDEvents spec's own, vendored, and ours from main. */
final class Schemas {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String SPEC_BASE = "https://cdevents.dev/0.5.1/schema/";
    private static final String SPEC_DIR = "cdevents-v0.5.1/";
    private static final List<String> SPEC_FILES = List.of(
            "schemas/artifactpublished.json",
            "schemas/testsuiterunfinished.json",
            "schemas/servicedeployed.json",
            "schemas/serviceupgraded.json",
            "schemas/servicerolledback.json",
            "schemas/links/embeddedlinksarray.json",
            "schemas/links/embeddedlinkend.json",
            "schemas/links/embeddedlinkpath.json",
            "schemas/links/embeddedlinkrelation.json",
            "custom/schema.json");
    private static final String CUSTOM_TYPE_PREFIX = "dev.cdeventsx.";

    // Format assertions on: "date-time" and "uri-reference" are part of the contract, not just annotations.
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders
                    .schemas(specSchemasById())
                    // The tests must not depend on the network: any $ref outside the vendored files fails.
                    .add(iri -> {
                        throw new IllegalStateException("schema " + iri + " is not vendored under " + SPEC_DIR);
                    })));

    private Schemas() {
    }

    /** The spec's schema for a CDEvents type; every custom type shares the spec's custom schema. */
    static JsonSchema spec(String type) {
        return FACTORY.getSchema(SchemaLocation.of(SPEC_BASE + specSchemaName(type)), CONFIG);
    }

    /** Our schema {@code schemas/<name>.v1.json} from main resources. */
    static JsonSchema own(String name) {
        return FACTORY.getSchema(readTree("schemas/" + name + ".v1.json"), CONFIG);
    }

    static Set<ValidationMessage> validate(JsonSchema schema, byte[] json) {
        try {
            return schema.validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readTree(String resource) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // dev.cdevents.service.rolledback.0.3.0 -> service-rolledback-event, as the spec's $ids are named.
    private static String specSchemaName(String type) {
        if (type.startsWith(CUSTOM_TYPE_PREFIX)) {
            return "custom";
        }
        String[] parts = type.split("\\.");
        return parts[2] + "-" + parts[3] + "-event";
    }

    private static Map<String, String> specSchemasById() {
        Map<String, String> byId = new LinkedHashMap<>();
        for (String file : SPEC_FILES) {
            JsonNode schema = readTree(SPEC_DIR + file);
            byId.put(schema.get("$id").textValue(), schema.toString());
        }
        return byId;
    }
}
