package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.TopicDefinition;
import dev.promoter.contracts.TopicDefinitions;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.TopicProvisioning;
import dev.promoter.testinfra.Infrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * libs/messaging's topic provisioning against the real test broker: topics as defined, idempotent, safe to run from
 * several services at once. Kept here, beside promote's component tests, to share their broker (one less broker start
 * in CI).
 */
class TopicProvisioningTest {

    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Infrastructure.shared().kafka().bootstrapServers()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void everyDefinedTopicIsCreatedWithItsPartitionsAndConfigs() throws Exception {
        String prefix = prefix();
        List<String> done = new TopicProvisioning(admin, prefix, Integer.MAX_VALUE, 10_000).ensure(TopicDefinitions.all());

        assertThat(done).hasSize(TopicDefinitions.all().size()).allMatch(line -> line.startsWith("created " + prefix));
        // The broker learns of new topics from the controller a moment after they are created.
        Map<String, TopicDescription> topics = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> admin.describeTopics(TopicDefinitions.all().stream().map(d -> prefix + d.name()).toList())
                        .allTopicNames().get(), all -> all.size() == TopicDefinitions.all().size());
        for (TopicDefinition definition : TopicDefinitions.all()) {
            TopicDescription topic = topics.get(prefix + definition.name());
            assertThat(topic.partitions()).as(definition.name()).hasSize(definition.partitions());
            // One test broker: one copy, and min.insync.replicas no higher than that.
            assertThat(topic.partitions().get(0).replicas()).hasSize(1);
            assertThat(configs(prefix + definition.name())).as(definition.name())
                    .containsAllEntriesOf(definition.configs(1));
        }
    }

    @Test
    void aSecondRunAndConcurrentRunsChangeNothing() throws Exception {
        String prefix = prefix();
        List<CompletableFuture<List<String>>> runs = List.of(run(prefix), run(prefix), run(prefix));
        int created = runs.stream().mapToInt(run -> run.join().size()).sum();

        assertThat(created).isEqualTo(TopicDefinitions.all().size());
        assertThat(new TopicProvisioning(admin, prefix, 2, 10_000).ensure(TopicDefinitions.all())).isEmpty();
    }

    @Test
    void anAutoCreatedDefinitionsTopicIsMadeCompactedAndPartitionsAreCapped() throws Exception {
        String prefix = prefix();
        String definitions = prefix + Topics.DEFINITIONS.name();
        admin.createTopics(List.of(new NewTopic(definitions, Optional.of(1), Optional.empty()))).all().get();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.listTopics().names().get().contains(definitions));

        List<String> done = new TopicProvisioning(admin, prefix, 2, 10_000).ensure(TopicDefinitions.all());

        assertThat(done).contains("made " + definitions + " compacted (it was delete)");
        assertThat(configs(definitions)).containsEntry("cleanup.policy", "compact");
        String artifacts = prefix + Topics.ARTIFACTS.name();
        assertThat(await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(artifacts)).allTopicNames().get().get(artifacts), d -> d != null)
                .partitions()).hasSize(2);
    }

    private static CompletableFuture<List<String>> run(String prefix) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new TopicProvisioning(admin, prefix, 2, 10_000).ensure(TopicDefinitions.all());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Map<String, String> configs(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> admin.describeConfigs(List.of(resource)).all().get() != null);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).entries().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.name(), e -> e.value()));
    }

    private static String prefix() {
        return "p" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }
}
