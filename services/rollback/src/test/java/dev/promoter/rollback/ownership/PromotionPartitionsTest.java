package dev.promoter.rollback.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** Which applications a replica owns, from the promotions partitions its consumer was given. */
class PromotionPartitionsTest {

    @Test
    void anApplicationBelongsToThePartitionKafkasProducerPutsItsEventsIn() {
        for (String application : List.of("shop-cart", "payments", "a", "ünïcode-app", "x".repeat(200))) {
            for (int partitions : List.of(1, 2, 6, 12)) {
                assertThat(PromotionPartitions.partitionOf(application, partitions)).as("%s of %d", application, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(application.getBytes(StandardCharsets.UTF_8),
                                partitions));
            }
        }
    }

    @Test
    void beforeItsFirstAssignmentAReplicaOwnsNothing() {
        assertThat(new PromotionPartitions().owns("shop-cart")).isFalse();
    }

    @Test
    void aReplicaOwnsWhatItWasAssignedUntilItIsRevoked() {
        PromotionPartitions partitions = new PromotionPartitions();
        int partition = PromotionPartitions.partitionOf("shop-cart", 6);
        int other = (partition + 1) % 6;

        partitions.assigned(List.of(other), 6);
        assertThat(partitions.owns("shop-cart")).isFalse();
        partitions.assigned(List.of(partition), 6);
        assertThat(partitions.owns("shop-cart")).isTrue();
        assertThat(partitions.owned()).containsExactlyInAnyOrder(partition, other);

        partitions.revoked(List.of(partition));
        assertThat(partitions.owns("shop-cart")).isFalse();
        assertThat(partitions.owned()).containsExactly(other);
    }

    @Test
    void aTopicWithoutPartitionsIsRefused() {
        assertThatThrownBy(() -> PromotionPartitions.partitionOf("shop-cart", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
