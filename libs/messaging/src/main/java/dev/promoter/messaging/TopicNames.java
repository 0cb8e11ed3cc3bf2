package dev.promoter.messaging;

import dev.promoter.contracts.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Kafka topic names this deployment uses: the contracts' names behind an optional prefix. */
@ApplicationScoped
public class TopicNames {

    private final String prefix;

    TopicNames(@ConfigProperty(name = "pipeline.topic-prefix", defaultValue = "") String prefix) {
        this.prefix = prefix;
    }

    public String of(Topic topic) {
        return prefix + topic.name();
    }

    public String deadLetterOf(Topic topic, String consumerGroup) {
        return prefix + topic.deadLetterTopic(consumerGroup);
    }
}
