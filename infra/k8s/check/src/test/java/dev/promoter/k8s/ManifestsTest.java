package dev.promoter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every overlay of infra/k8s renders with kubectl kustomize and every object it renders passes the strict check. */
class ManifestsTest {

    private static final Set<String> SERVICES = Set.of("build", "test", "promote", "rollback");

    private static ManifestValidator validator;

    @BeforeAll
    static void loadSchemas() throws Exception {
        validator = new ManifestValidator();
    }

    @Test
    void everyOverlayRendersAndEveryObjectIsValid() throws Exception {
        List<Path> overlays = Kustomize.overlays();
        assertThat(overlays).extracting(p -> p.getFileName().toString()).contains("dev", "production");
        for (Path overlay : overlays) {
            List<ObjectNode> objects = Kustomize.render(overlay);
            List<String> problems = new ArrayList<>();
            objects.forEach(object -> problems.addAll(validator.problems(object)));
            assertThat(problems).as("problems in overlay %s", overlay.getFileName()).isEmpty();
            assertThat(kinds(objects)).as("kinds in overlay %s", overlay.getFileName())
                    .contains("Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap",
                            "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster");
        }
    }

    @Test
    void everyServiceRunsLockedDownWithProbesAndItsOwnKafkaIdentity() throws Exception {
        for (Path overlay : Kustomize.overlays()) {
            List<ObjectNode> deployments = Kustomize.render(overlay).stream()
                    .filter(o -> o.path("kind").asText().equals("Deployment"))
                    .filter(o -> SERVICES.contains(o.path("metadata").path("name").asText()))
                    .toList();
            assertThat(deployments).as("service Deployments in %s", overlay.getFileName()).hasSize(SERVICES.size());
            for (JsonNode deployment : deployments) {
                String name = overlay.getFileName() + "/" + deployment.path("metadata").path("name").asText();
                JsonNode pod = deployment.path("spec").path("template").path("spec");
                assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
                assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).as(name)
                        .isEqualTo("RuntimeDefault");
                JsonNode container = pod.path("containers").get(0);
                JsonNode security = container.path("securityContext");
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
                assertThat(security.path("capabilities").path("drop").toString()).as(name).contains("\"ALL\"");
                assertThat(container.path("volumeMounts").toString()).as(name).contains("\"/tmp\"");
                assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).as(name)
                        .isEqualTo("/q/health/live");
                assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).as(name)
                        .isEqualTo("/q/health/ready");
                assertThat(container.path("resources").path("limits").path("memory").asText()).as(name).isNotEmpty();
                assertThat(container.path("env").toString()).as(name)
                        .contains("\"PIPELINE_KAFKA_INSTANCE_ID\"", "\"metadata.name\"");
            }
        }
    }

    /** Issue 19: every service runs two replicas in production and is updated one pod at a time, never all at once. */
    @Test
    void inProductionEveryServiceRunsTwoReplicasUpdatedWithoutAGap() throws Exception {
        Path production = Kustomize.overlays().stream().filter(p -> p.getFileName().toString().equals("production"))
                .findFirst().orElseThrow();
        List<ObjectNode> deployments = Kustomize.render(production).stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .filter(o -> SERVICES.contains(o.path("metadata").path("name").asText()))
                .toList();
        assertThat(deployments).hasSize(SERVICES.size());
        for (JsonNode deployment : deployments) {
            String name = deployment.path("metadata").path("name").asText();
            assertThat(deployment.path("spec").path("replicas").asInt()).as(name).isGreaterThanOrEqualTo(2);
            JsonNode strategy = deployment.path("spec").path("strategy");
            assertThat(strategy.path("type").asText()).as(name).isEqualTo("RollingUpdate");
            assertThat(strategy.path("rollingUpdate").path("maxUnavailable").asInt(-1)).as(name).isZero();
        }
    }

    private static Set<String> kinds(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet());
    }
}
