package dev.promoter.promote.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.testinfra.Metrics;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The consumer lag the shipped alert {@code PipelineConsumerLagGrowing} reads: the Kafka client's
 * {@code records-lag} of each assigned partition, on {@code /q/metrics} through Micrometer's Kafka binder, labelled
 * with the topic, the partition and the consumer's client id (one per channel, so per consumer group and topic).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ConsumerLagMetricTest {

    static final Pattern LAG = Pattern.compile(
            "^kafka_consumer_fetch_manager_records_lag\\{([^}]*)\\} (\\S+)", Pattern.MULTILINE);

    @Test
    void everyConsumedTopicHasALagGaugePerPartitionThatAnAlertCanSumByTopic() {
        // Each consumer reports its lag once it holds its partitions and has fetched from them.
        List<String> wanted = List.of("artifacts", "test-results", "rollbacks", "health");
        await("promote's consumers report their lag (scrape: see the failure)").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    String metrics = Metrics.scrape();
                    List<String> topics = LAG.matcher(metrics).results().map(m -> label(m.group(1), "topic")).toList();
                    assertThat(topics).as("records_lag topics in%n%s", lagLines(metrics))
                            .anySatisfy(t -> assertThat(t).contains("artifacts"));
                    for (String topic : wanted) {
                        assertThat(topics).anySatisfy(t -> assertThat(t).contains(topic));
                    }
                });

        String metrics = Metrics.scrape();
        Matcher lag = LAG.matcher(metrics);
        assertThat(lag.find()).isTrue();
        String labels = lag.group(1);
        assertThat(label(labels, "partition")).matches("[0-9]+");
        assertThat(label(labels, "client_id")).isNotBlank();
        // A gauge of records not yet read: nothing is behind in a quiet test, never negative.
        assertThat(Double.parseDouble(lag.group(2))).isGreaterThanOrEqualTo(0);
        // The alert's expression groups by topic: the label is there on every sample.
        assertThat(LAG.matcher(metrics).results()).allSatisfy(m -> assertThat(label(m.group(1), "topic")).isNotBlank());
    }

    private static String label(String labels, String name) {
        Matcher value = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return value.find() ? value.group(1) : "";
    }

    private static String lagLines(String metrics) {
        return String.join("\n", metrics.lines().filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag"))
                .limit(40).toList());
    }
}
