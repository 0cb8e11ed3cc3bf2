package dev.promoter.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every Kafka topic the pipeline uses, with how it is provisioned: the one place for partitions, replication,
 * {@code min.insync.replicas} and compaction (infra/k8s/base/topics.yaml is generated from it; docs/deploy.md
 * explains the sizing).
 */
public final class TopicDefinitions {

    /** Six partitions: up to six replicas of a consumer group share a topic's work, one application in one. */
    public static final int PARTITIONS = 6;
    /** Three copies on three brokers; a write needs two, so one broker may be down without losing or refusing one. */
    public static final int REPLICATION_FACTOR = 3;
    public static final int MIN_IN_SYNC_REPLICAS = 2;
    /** Events are kept 30 days: a consumer stopped for longer would miss what it did not read. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(30);

    /** The consumer groups (each service's name) of each topic: each has a dead-letter topic of its own. */
    private static final List<Consumer> CONSUMERS = List.of(
            new Consumer(Topics.DEFINITIONS, "build"),
            new Consumer(Topics.PROMOTIONS, "test"),
            new Consumer(Topics.ARTIFACTS, "promote"),
            new Consumer(Topics.TEST_RESULTS, "promote"),
            new Consumer(Topics.ROLLBACKS, "promote"),
            new Consumer(Topics.HEALTH, "promote"),
            new Consumer(Topics.PROMOTIONS, "rollback"));

    private static final List<TopicDefinition> ALL = build();

    private TopicDefinitions() {
    }

    /** Every topic: the event topics, the compacted definitions topic, then one dead-letter topic per consumer. */
    public static List<TopicDefinition> all() {
        return ALL;
    }

    private static List<TopicDefinition> build() {
        List<TopicDefinition> all = new ArrayList<>();
        for (Topic topic : Topics.all()) {
            all.add(new TopicDefinition(topic.name(), PARTITIONS, REPLICATION_FACTOR, MIN_IN_SYNC_REPLICAS, false,
                    Optional.of(EVENT_RETENTION)));
        }
        // The newest definition of each application must stay however old it is: other services rebuild from it.
        all.add(new TopicDefinition(Topics.DEFINITIONS.name(), PARTITIONS, REPLICATION_FACTOR, MIN_IN_SYNC_REPLICAS,
                true, Optional.empty()));
        // Dead letters wait, for ever, until someone looks at them and replays them; one partition keeps them in order.
        for (Consumer consumer : CONSUMERS) {
            all.add(new TopicDefinition(consumer.topic().deadLetterTopic(consumer.group()), 1, REPLICATION_FACTOR,
                    MIN_IN_SYNC_REPLICAS, false, Optional.empty()));
        }
        return List.copyOf(all);
    }

    private record Consumer(Topic topic, String group) {
    }
}
