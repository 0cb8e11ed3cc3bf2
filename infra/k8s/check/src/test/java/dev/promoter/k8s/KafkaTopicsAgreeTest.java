package dev.promoter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.TopicDefinition;
import dev.promoter.contracts.TopicDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The KafkaTopic resources of infra/k8s/base/topics.yaml are exactly contracts' TopicDefinitions. When they differ the
 * test writes the file as it should be to target/topics.yaml: copy it over base/topics.yaml.
 */
class KafkaTopicsAgreeTest {

    @Test
    void theKafkaTopicsAreTheTopicDefinitions() throws Exception {
        Path file = Kustomize.k8sDir().resolve("base/topics.yaml");
        List<ObjectNode> actual = Kustomize.readAll(Files.readString(file));
        String expectedYaml = yaml(TopicDefinitions.all());
        List<ObjectNode> expected = Kustomize.readAll(expectedYaml);
        if (!actual.equals(expected)) {
            Path generated = Path.of("target/topics.yaml");
            Files.createDirectories(generated.getParent());
            Files.writeString(generated, expectedYaml);
        }
        assertThat(actual).as("base/topics.yaml differs from contracts' TopicDefinitions; the file as it should be"
                + " is in infra/k8s/check/target/topics.yaml").isEqualTo(expected);
    }

    @Test
    void everyOverlayProvisionsEveryDefinedTopicAndNoOther() throws Exception {
        for (Path overlay : Kustomize.overlays()) {
            List<String> topics = Kustomize.render(overlay).stream()
                    .filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                    .map(o -> o.path("spec").path("topicName").asText()).sorted().toList();
            assertThat(topics).as(overlay.getFileName().toString())
                    .isEqualTo(TopicDefinitions.all().stream().map(TopicDefinition::name).sorted().toList());
        }
    }

    /** The KafkaTopic resources for the definitions, as base/topics.yaml holds them. */
    static String yaml(List<TopicDefinition> definitions) {
        StringBuilder out = new StringBuilder("""
                # The pipeline's topics and dead-letter topics, provisioned by Strimzi's Topic Operator. Made from
                # contracts' TopicDefinitions; KafkaTopicsAgreeTest (infra/k8s/check) fails when they differ.
                """);
        for (TopicDefinition definition : definitions) {
            out.append("""
                    ---
                    apiVersion: kafka.strimzi.io/v1
                    kind: KafkaTopic
                    metadata:
                      name: %s
                      labels:
                        strimzi.io/cluster: pipeline
                    spec:
                      topicName: %s
                      partitions: %d
                      replicas: %d
                      config:
                    """.formatted(definition.name(), definition.name(), definition.partitions(),
                    definition.replicationFactor()));
            for (Map.Entry<String, String> config : definition.configs(definition.replicationFactor()).entrySet()) {
                out.append("    ").append(config.getKey()).append(": \"").append(config.getValue()).append("\"\n");
            }
        }
        return out.toString();
    }
}
