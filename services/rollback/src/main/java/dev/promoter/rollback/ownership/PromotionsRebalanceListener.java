package dev.promoter.rollback.ownership;

import dev.promoter.contracts.Topics;
import dev.promoter.messaging.TopicNames;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Hears the promotions consumer's rebalances (mp.messaging.incoming.promotions.consumer-rebalance-listener.name) and
 * hands the stages of the partitions it gains or loses to {@link StageTakeover}.
 *
 * <p>With Kafka's default (eager) rebalancing every partition is revoked first and the new assignment follows; a revoked
 * partition's stages keep being probed until then, so one kept by this replica goes on without a pause, and the
 * assignment stops those of the partitions that went elsewhere. Two replicas may so probe a stage for a moment; their
 * verdicts are checked against the database under the stage's locks, so one carried out by either is never repeated.
 */
@ApplicationScoped
@Identifier(PromotionsRebalanceListener.NAME)
public class PromotionsRebalanceListener implements KafkaConsumerRebalanceListener {

    public static final String NAME = "rollback-promotions-ownership";
    private static final Logger LOG = Logger.getLogger(PromotionsRebalanceListener.class);

    private final String topic;
    private final PromotionPartitions partitions;
    private final StageTakeover takeover;

    PromotionsRebalanceListener(TopicNames names, PromotionPartitions partitions, StageTakeover takeover) {
        this.topic = names.of(Topics.PROMOTIONS);
        this.partitions = partitions;
        this.takeover = takeover;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        List<Integer> numbers = numbers(assigned);
        // From the consumer's metadata, just refreshed for the assignment: the real count, not the provisioned one.
        int count = consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
        partitions.assigned(numbers, count);
        LOG.infof("assigned promotions partitions %s of %d", numbers, count);
        takeover.rebalanced();
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        partitions.revoked(numbers(revoked));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        // The session expired: another replica may own them already.
        partitions.revoked(numbers(lost));
        LOG.warnf("lost promotions partitions %s", numbers(lost));
        takeover.rebalanced();
    }

    private List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(p -> p.topic().equals(topic)).map(TopicPartition::partition).sorted().toList();
    }
}
