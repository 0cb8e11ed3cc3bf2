package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicDefinitionsTest {

    @Test
    void everyTopicOfThePipelineIsDefinedOnceWithItsDeadLetterTopics() {
        assertThat(TopicDefinitions.all()).extracting(TopicDefinition::name).doesNotHaveDuplicates()
                .contains(Topics.ARTIFACTS.name(), Topics.TEST_RESULTS.name(), Topics.PROMOTIONS.name(),
                        Topics.ROLLBACKS.name(), Topics.HEALTH.name(), Topics.DEFINITIONS.name(),
                        "pipeline.promotions.v1.dlt.rollback", "pipeline.definitions.v1.dlt.build");
    }

    @Test
    void onlyTheDefinitionsTopicIsCompactedAndDeadLettersAreKeptForEver() {
        assertThat(TopicDefinitions.all()).filteredOn(TopicDefinition::compacted).extracting(TopicDefinition::name)
                .containsExactly(Topics.DEFINITIONS.name());
        TopicDefinition deadLetters = TopicDefinitions.all().stream()
                .filter(d -> d.name().equals("pipeline.artifacts.v1.dlt.promote")).findFirst().orElseThrow();
        assertThat(deadLetters.configs(3)).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void configsNeverAskMoreInSyncCopiesThanTheClusterHolds() {
        TopicDefinition artifacts = TopicDefinitions.all().get(0);
        assertThat(artifacts.configs(3)).containsEntry("min.insync.replicas", "2")
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
        assertThat(artifacts.configs(1)).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThatThrownBy(() -> new TopicDefinition("t", 1, 1, 2, false, Optional.empty()))
                .hasMessageContaining("min.insync.replicas");
        assertThatThrownBy(() -> new TopicDefinition("t", 1, 3, 2, true, Optional.of(Duration.ofDays(1))))
                .hasMessageContaining("compacted");
    }
}
