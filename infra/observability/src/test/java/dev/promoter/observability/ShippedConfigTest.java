package dev.promoter.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus rules, their unit tests and the scrape config pass the real promtool (Debian package
 * {@code prometheus}, installed by {@code infra/local/install.sh --for-tests}); the Grafana dashboard reads as JSON
 * and asks only for metrics the services or the rules define.
 */
class ShippedConfigTest {

    private static final Path PROMETHEUS = Path.of("prometheus");
    private static final Path DASHBOARD = Path.of("grafana", "pipeline-dashboard.json");

    @Test
    void theAlertRulesPassPromtoolsCheck() throws Exception {
        assertThat(promtool("check", "rules", "pipeline-alerts.yml")).contains("SUCCESS: 6 rules found");
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        assertThat(promtool("test", "rules", "pipeline-alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void theScrapeConfigIsValidAndScrapesTheFourServices() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("is valid prometheus config file");
        String config = Files.readString(PROMETHEUS.resolve("prometheus.yml"));
        for (String job : List.of("build", "test", "promote", "rollback")) {
            assertThat(config).contains("job_name: " + job);
        }
    }

    @Test
    void theDashboardShowsDoraHopLatenciesAndHealthFromPipelineMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> titles = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        Pattern metric = Pattern.compile("\\b(pipeline_[a-z_]+|kafka_consumer_[a-z_]+)");
        for (JsonNode panel : dashboard.get("panels")) {
            titles.add(panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = metric.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    metrics.add(matcher.group(1));
                }
            }
        }
        assertThat(dashboard.path("uid").asText()).isEqualTo("promotion-pipeline");
        assertThat(titles).contains("Deployment frequency", "Lead time for changes", "Change failure rate",
                "Time to restore", "Time per hop (p90)", "Dead letters", "Oldest unsent outbox event");
        assertThat(metrics).isNotEmpty().allSatisfy(name -> assertThat(name).matches(
                "pipeline_(dora_[a-z_]+|hop_seconds_bucket|promotions_total|rollbacks_total|holds_total"
                        + "|quarantines_total|drifts_total|probe_failures_total|events_dead_lettered_total"
                        + "|outbox_backlog|outbox_oldest_unsent_seconds|outgoing_call_failures_total)"
                        + "|kafka_consumer_fetch_manager_records_lag"));
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed: run infra/local/install.sh --for-tests"
                    + " (Debian package prometheus)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
        return output;
    }
}
