package dev.promoter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Alertmanager receiver example is a configuration Alertmanager accepts, and it reaches the rollback service. */
class AlertmanagerExampleTest {

    private static final Path EXAMPLE = Kustomize.k8sDir().resolve("examples/alertmanager.yaml");

    @Test
    void amtoolAcceptsTheExample() throws Exception {
        Process amtool = new ProcessBuilder("amtool", "check-config", EXAMPLE.toString()).redirectErrorStream(true).start();
        assertThat(amtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(amtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(amtool.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void theReceiverPostsToTheRollbackServiceOfTheProductionOverlay() throws Exception {
        JsonNode config = Kustomize.YAML.readTree(Files.readString(EXAMPLE));
        JsonNode webhook = config.path("receivers").get(1).path("webhook_configs").get(0);
        String namespace = "";
        int port = 0;
        for (ObjectNode object : Kustomize.render(Kustomize.k8sDir().resolve("overlays/production"))) {
            if (object.path("kind").asText().equals("Service") && object.path("metadata").path("name").asText().equals("rollback")) {
                namespace = object.path("metadata").path("namespace").asText();
                port = object.path("spec").path("ports").get(0).path("port").asInt();
            }
        }
        assertThat(port).isEqualTo(80);
        assertThat(webhook.path("url").asText()).isEqualTo("http://rollback." + namespace + ".svc/webhooks/alertmanager");
        assertThat(webhook.path("http_config").path("authorization").path("type").asText()).isEqualTo("Bearer");
    }
}
