package dev.promoter.contracts;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How one Kafka topic of the pipeline is provisioned: its partitions, replication and cleanup. Topics are never
 * auto-created; every service creates the missing ones from these definitions at start (where it is allowed to), and
 * the Kubernetes {@code KafkaTopic} resources are generated from them.
 *
 * @param name              the topic name (without a test prefix)
 * @param partitions        how many partitions: the most replicas of one consumer group that share the work
 * @param replicationFactor copies of each partition on a cluster with that many brokers or more
 * @param minInSyncReplicas copies that must have a write before it is acknowledged ({@code acks=all})
 * @param compacted         keep the newest record of each key, however old (instead of deleting by age)
 * @param retention         how long records are kept when not compacted; empty: for ever
 */
public record TopicDefinition(String name, int partitions, int replicationFactor, int minInSyncReplicas,
                              boolean compacted, Optional<Duration> retention) {

    public TopicDefinition {
        Require.text(name, "topic name");
        if (partitions < 1 || replicationFactor < 1 || minInSyncReplicas < 1 || minInSyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("topic " + name + ": need partitions >= 1 and 1 <= min.insync.replicas"
                    + " <= replication factor, got " + partitions + ", " + minInSyncReplicas + ", " + replicationFactor);
        }
        if (compacted && retention.isPresent()) {
            throw new IllegalArgumentException("topic " + name + ": a compacted topic keeps every key's newest record");
        }
    }

    /**
     * The topic's settings as Kafka topic configs ({@code cleanup.policy}, {@code min.insync.replicas},
     * {@code retention.ms}), for a cluster where this topic has {@code replicas} copies.
     */
    public Map<String, String> configs(int replicas) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        configs.put("min.insync.replicas", Integer.toString(Math.min(minInSyncReplicas, replicas)));
        if (!compacted) {
            configs.put("retention.ms", Long.toString(retention.map(Duration::toMillis).orElse(-1L)));
        }
        return configs;
    }
}
