package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesOneVersionedTopicPerKindOfFact() {
        assertThat(Topics.all()).extracting(Topic::name).containsExactly(
                "pipeline.artifacts.v1", "pipeline.test-results.v1", "pipeline.promotions.v1",
                "pipeline.rollbacks.v1", "pipeline.health.v1");
        assertThat(Topics.all()).extracting(Topic::producer)
                .containsExactly("build", "test", "promote", "rollback", "rollback");
    }

    @Test
    void everyEventIsPublishedOnTheTopicOfItsProducer() {
        assertThat(GoldenSamples.all()).allSatisfy(sample ->
                assertThat(sample.event().topic().carries()).contains(shortType(sample.event().type())));
    }

    @Test
    void deadLetterTopicIsPerConsumerGroup() {
        assertThat(Topics.ARTIFACTS.deadLetterTopic("promote")).isEqualTo("pipeline.artifacts.v1.dlt.promote");
        assertThat(Topics.TEST_RESULTS.deadLetterTopic("promote-gates"))
                .isEqualTo("pipeline.test-results.v1.dlt.promote-gates");
    }

    @Test
    void deadLetterTopicRefusesAGroupKafkaCannotName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Topics.PROMOTIONS.deadLetterTopic("promote/gates"))
                .withMessage("consumer group must use only letters, digits, '.', '_' and '-' to name a dead-letter"
                        + " topic, got 'promote/gates'");
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.PROMOTIONS.deadLetterTopic(null));
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.PROMOTIONS.deadLetterTopic("g".repeat(240)))
                .withMessageStartingWith("dead-letter topic name must be at most 249 characters");
    }

    // dev.cdevents.service.deployed.0.3.0 -> service.deployed; dev.cdeventsx.promoter-artifact.quarantined...
    // -> promoter-artifact.quarantined
    private static String shortType(String type) {
        String[] parts = type.split("\\.");
        return parts[2] + "." + parts[3];
    }
}
