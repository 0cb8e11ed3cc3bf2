package dev.promoter.messaging;

import dev.promoter.contracts.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Kafka topic names this deployment uses: the contracts' names behind an optional prefix. */
@ApplicationScoped
public class TopicNames {

    private final String prefix;

    // Optional: MicroProfile Config reads an empty value (the production setting) as "not set".
    TopicNames(@ConfigProperty(name = "pipeline.topic-prefix") Optional<String> prefix) {
        this.prefix = prefix.orElse("");
    }

    public String of(Topic topic) {
        return prefix + topic.name();
    }

    public String deadLetterOf(Topic topic, String consumerGroup) {
        return prefix + topic.deadLetterTopic(consumerGroup);
    }
}
