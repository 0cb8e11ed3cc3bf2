package dev.promoter.messaging;

import dev.promoter.contracts.TopicDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics from their definitions, idempotently: a missing topic is created with its partitions,
 * replication and configs; an existing one is left as it is, except that a topic defined compacted is made compacted
 * (say, one a first send auto-created). Several services may run this at once: a topic another one created meanwhile
 * counts as done.
 */
public final class TopicProvisioning {

    private final Admin admin;
    private final String prefix;
    private final int maxPartitions;
    private final long timeoutMillis;

    /**
     * @param prefix        put before every name (tests' per-class prefix; empty in production)
     * @param maxPartitions at most this many partitions per topic (tests keep topics small); Integer.MAX_VALUE for none
     */
    public TopicProvisioning(Admin admin, String prefix, int maxPartitions, long timeoutMillis) {
        this.admin = admin;
        this.prefix = prefix;
        this.maxPartitions = maxPartitions;
        this.timeoutMillis = timeoutMillis;
    }

    /** Makes every defined topic exist as defined; returns one line per topic created or changed. */
    public List<String> ensure(Collection<TopicDefinition> definitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        int brokers = get(admin.describeCluster().nodes()).size();
        Set<String> existing = get(admin.listTopics().names());
        Map<String, TopicDefinition> missing = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        for (TopicDefinition definition : definitions) {
            String name = prefix + definition.name();
            if (!existing.contains(name)) {
                missing.put(name, definition);
            } else if (definition.compacted()) {
                makeCompacted(name).ifPresent(done::add);
            }
        }
        if (missing.isEmpty()) {
            return done;
        }
        List<NewTopic> topics = new ArrayList<>();
        missing.forEach((name, definition) -> {
            // A cluster smaller than the definition (one local broker) gets as many copies as it has brokers.
            int replicas = Math.min(definition.replicationFactor(), brokers);
            topics.add(new NewTopic(name, Math.min(definition.partitions(), maxPartitions), (short) replicas)
                    .configs(definition.configs(replicas)));
        });
        for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
            try {
                get(created.getValue());
                done.add("created " + created.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Created meanwhile (another service, an auto-creating send) or not yet listed: it may lack compaction.
                if (missing.get(created.getKey()).compacted()) {
                    makeCompacted(created.getKey()).ifPresent(done::add);
                }
            }
        }
        return done;
    }

    private Optional<String> makeCompacted(String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String policy = get(admin.describeConfigs(List.of(resource)).all()).get(resource)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            return Optional.empty();
        }
        get(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                AlterConfigOp.OpType.SET)))).all());
        return Optional.of("made " + topic + " compacted (it was " + policy + ")");
    }

    private <T> T get(KafkaFuture<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
