package dev.promoter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest with a wrong field, an unknown field or a wrong type fails the check, core kinds and CRDs alike. */
class ManifestValidatorTest {

    private static ManifestValidator validator;

    @BeforeAll
    static void loadSchemas() throws Exception {
        validator = new ManifestValidator();
    }

    @Test
    void aMisspelledProbeFieldInADeploymentFails() throws Exception {
        ObjectNode deployment = one("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: build}
                spec:
                  selector: {matchLabels: {app: build}}
                  template:
                    metadata: {labels: {app: build}}
                    spec:
                      containers:
                        - name: build
                          image: build:1
                          readinessProbe:
                            httpGett: {path: /q/health/ready, port: 8080}
                """);
        assertThat(validator.problems(deployment)).singleElement().asString()
                .contains("Deployment build", "httpGett", ".spec.template.spec.containers[0].readinessProbe");
    }

    @Test
    void aCorrectDeploymentPasses() throws Exception {
        assertThat(validator.problems(one("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: build}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: build}}
                  template:
                    metadata: {labels: {app: build}}
                    spec:
                      containers:
                        - name: build
                          image: build:1
                          resources: {limits: {memory: 384Mi}}
                          readinessProbe:
                            httpGet: {path: /q/health/ready, port: 8080}
                """))).isEmpty();
    }

    @Test
    void aWrongTypeOrABadQuantityFails() throws Exception {
        assertThat(validator.problems(one("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: build}
                spec:
                  replicas: two
                """))).singleElement().asString().contains("Deployment build", "two");
        assertThat(validator.problems(one("""
                apiVersion: v1
                kind: Service
                metadata: {name: build, labelz: {a: b}}
                spec: {ports: [{port: 80}]}
                """))).singleElement().asString().contains("labelz");
    }

    @Test
    void anUnknownFieldInAKafkaTopicOrACnpgClusterFails() throws Exception {
        assertThat(validator.problems(one("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: pipeline.artifacts.v1}
                spec: {partitions: 6, replicas: 3, replicationFactor: 3}
                """))).singleElement().asString().contains("KafkaTopic pipeline.artifacts.v1", "replicationFactor");
        assertThat(validator.problems(one("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: pipeline.artifacts.v1}
                spec: {partitions: six}
                """))).singleElement().asString().contains("partitions");
        assertThat(validator.problems(one("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pipeline-db}
                spec: {instances: 3, storage: {size: 1Gi}, bootstrap: {initdb: {database: pipeline, ownr: pipeline}}}
                """))).singleElement().asString().contains("Cluster pipeline-db", "ownr");
        assertThat(validator.problems(one("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pipeline-db}
                spec: {storage: {size: 1Gi}}
                """))).singleElement().asString().contains("instances");
    }

    @Test
    void aKindWithoutASchemaFails() throws Exception {
        assertThat(validator.problems(one("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """))).singleElement().asString().contains("no schema for example.com/v1/Widget");
    }

    @Test
    void anOverlayWithAWrongFieldFailsTheCheck(@TempDir Path copy) throws Exception {
        copyTree(Kustomize.k8sDir().resolve("base"), copy.resolve("base"));
        copyTree(Kustomize.k8sDir().resolve("overlays/production"), copy.resolve("overlays/production"));
        Path overlay = copy.resolve("overlays/production");
        Files.writeString(overlay.resolve("kustomization.yaml"), Files.readString(overlay.resolve("kustomization.yaml"))
                + """
                  - target:
                      kind: Deployment
                      name: rollback
                    patch: |-
                      - op: add
                        path: /spec/template/spec/containers/0/livenessProbe/httpGet/paht
                        value: /q/health/live
                """);
        List<String> problems = new ArrayList<>();
        for (ObjectNode object : Kustomize.render(overlay)) {
            problems.addAll(validator.problems(object));
        }
        assertThat(problems).singleElement().asString().contains("Deployment rollback", "paht");
    }

    private static ObjectNode one(String yaml) throws IOException {
        return Kustomize.readAll(yaml).get(0);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
