package dev.promoter.contracts;

import java.util.regex.Pattern;

/**
 * One Kafka topic of the pipeline: a kind of fact, keyed by application name so that one
 * application's events stay in order.
 *
 * @param name     the Kafka topic name
 * @param carries  the event types written to it
 * @param producer the one service that writes it
 */
public record Topic(String name, String carries, String producer) {

    // Kafka's own rule for topic names; a consumer group becomes part of a dead-letter topic name.
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_TOPIC_LENGTH = 249;

    public Topic {
        Require.text(name, "topic name");
        Require.text(carries, "carries");
        Require.text(producer, "producer");
    }

    /**
     * The topic where the given consumer group puts the records of this topic it cannot read,
     * {@code <name>.dlt.<consumerGroup>}: one per consumer, so one consumer's rejects never reach another.
     */
    public String deadLetterTopic(String consumerGroup) {
        if (consumerGroup == null || !LEGAL.matcher(consumerGroup).matches()) {
            throw new IllegalArgumentException("consumer group must use only letters, digits, '.', '_' and '-'"
                    + " to name a dead-letter topic, got " + Require.quote(consumerGroup));
        }
        String topic = name + ".dlt." + consumerGroup;
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("dead-letter topic name must be at most " + MAX_TOPIC_LENGTH
                    + " characters; shorten the consumer group " + Require.quote(consumerGroup));
        }
        return topic;
    }
}
