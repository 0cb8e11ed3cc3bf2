package dev.promoter.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks rendered Kubernetes objects offline, the way a strict server-side apply would refuse them: core kinds against
 * the fabric8 Kubernetes model (a field the API does not know, or a value of the wrong type, is a problem), custom
 * resources against the OpenAPI schema of their CRD (unknown fields refused as {@code kubectl --validate=strict}
 * does). A kind with no schema here is a problem too, so nothing passes unchecked.
 */
final class ManifestValidator {

    private static final Map<String, Class<?>> CORE = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Namespace", Namespace.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /** The CRDs copied into src/test/resources/crds (see its README). */
    private static final List<String> CRDS = List.of(
            "crds/strimzi/040-Crd-kafka.yaml",
            "crds/strimzi/043-Crd-kafkatopic.yaml",
            "crds/strimzi/045-Crd-kafkanodepool.yaml",
            "crds/cloudnative-pg/postgresql.cnpg.io_clusters.yaml");

    private final ObjectMapper typed = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    private final Map<String, JsonSchema> custom = new HashMap<>();

    ManifestValidator() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        for (String crd : CRDS) {
            JsonNode definition;
            try (InputStream in = ManifestValidator.class.getClassLoader().getResourceAsStream(crd)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + crd);
                }
                definition = Kustomize.YAML.readTree(in);
            }
            JsonNode spec = definition.path("spec");
            String group = spec.path("group").asText();
            String kind = spec.path("names").path("kind").asText();
            for (JsonNode version : spec.path("versions")) {
                if (version.path("served").asBoolean()) {
                    JsonNode schema = strict(version.path("schema").path("openAPIV3Schema"));
                    custom.put(group + "/" + version.path("name").asText() + "/" + kind, factory.getSchema(schema));
                }
            }
        }
    }

    /** What is wrong with one rendered object, each problem naming the object and the field; empty when it is right. */
    List<String> problems(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String name = apiVersion + " " + kind + " " + object.path("metadata").path("name").asText("<no name>");
        List<String> problems = new ArrayList<>();
        if (object.path("metadata").path("name").asText().isEmpty()) {
            problems.add(name + ": metadata.name is missing");
        }
        Class<?> type = CORE.get(apiVersion + "/" + kind);
        JsonSchema schema = custom.get(apiVersion + "/" + kind);
        if (type != null) {
            typedProblems(object, type, name, problems);
        } else if (schema != null) {
            typedProblems(object.path("metadata"), ObjectMeta.class, name + " metadata", problems);
            for (ValidationMessage message : schema.validate(object)) {
                problems.add(name + ": " + message.getMessage());
            }
        } else {
            problems.add(name + ": no schema for " + apiVersion + "/" + kind + " (add its model or CRD to the check)");
        }
        return problems;
    }

    private void typedProblems(JsonNode node, Class<?> type, String name, List<String> problems) {
        Object value;
        try {
            value = typed.treeToValue(node, type);
        } catch (IOException e) {
            problems.add(name + ": " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        walk(value, "", name, problems);
    }

    /**
     * The fabric8 model keeps fields it does not know in {@code additionalProperties} instead of refusing them; a
     * strict apply refuses them, so every one found is a problem. Quantities must parse.
     */
    private static void walk(Object value, String path, String name, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "[" + key + "]", name, problems));
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", name, problems);
            }
            return;
        }
        if (value instanceof Quantity quantity) {
            try {
                Quantity.getAmountInBytes(quantity);
            } catch (RuntimeException e) {
                problems.add(name + ": " + path + " is not a quantity: " + quantity);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (property.equals("additionalProperties")) {
                if (field instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add(name + ": unknown field(s) " + unknown.keySet() + " at " + (path.isEmpty() ? "." : path));
                }
            } else {
                walk(field, path + "." + property, name, problems);
            }
        }
    }

    /**
     * A CRD's structural OpenAPI schema as a JSON Schema that refuses what the API server refuses under strict field
     * validation: unknown fields where the schema lists the properties (and does not preserve unknown fields),
     * {@code nullable}, and {@code x-kubernetes-int-or-string}. CEL rules ({@code x-kubernetes-validations}) are
     * left to the API server.
     */
    static JsonNode strict(JsonNode openApi) {
        if (!(openApi instanceof ObjectNode source)) {
            return openApi;
        }
        ObjectNode schema = source.deepCopy();
        for (String key : List.of("properties", "patternProperties")) {
            if (schema.get(key) instanceof ObjectNode properties) {
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    entry.setValue(strict(entry.getValue()));
                }
            }
        }
        for (String key : List.of("items", "additionalProperties", "not")) {
            if (schema.get(key) instanceof ObjectNode sub) {
                schema.set(key, strict(sub));
            }
        }
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            if (schema.get(key) instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, strict(list.get(i)));
                }
            }
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            schema.remove("type");
            if (!schema.has("anyOf")) {
                ArrayNode anyOf = schema.putArray("anyOf");
                anyOf.addObject().put("type", "integer");
                anyOf.addObject().put("type", "string");
            }
        }
        if (schema.path("nullable").asBoolean() && schema.get("type") != null && schema.get("type").isTextual()) {
            ArrayNode types = JsonNodeFactory.instance.arrayNode().add(schema.get("type").asText()).add("null");
            schema.set("type", types);
        }
        if ("object".equals(schema.path("type").asText()) && schema.has("properties")
                && !schema.has("additionalProperties")
                && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            schema.put("additionalProperties", false);
        }
        // Kubernetes' own keywords are read above or not checked here (x-kubernetes-validations holds CEL rules
        // that only the API server evaluates); dropped so the validator does not warn about each.
        schema.remove(List.of("example", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
                "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
                "x-kubernetes-map-type", "x-kubernetes-embedded-resource"));
        return schema;
    }
}
