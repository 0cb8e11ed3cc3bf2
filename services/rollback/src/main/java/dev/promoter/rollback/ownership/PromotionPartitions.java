package dev.promoter.rollback.ownership;

import dev.promoter.rollback.health.Ownership;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partitions of {@code pipeline.promotions.v1} this replica's consumer owns, and so which applications' stages it
 * probes and checks for drift: promotion events are keyed by their application, so an application's stages belong to
 * the replica that owns the application's partition. Before the first assignment it owns nothing. Thread-safe: the
 * Kafka consumer's thread writes it, probes and sweeps read it.
 */
@ApplicationScoped
public class PromotionPartitions implements Ownership {

    private volatile Set<Integer> owned = Set.of();
    private volatile int partitionCount;

    /** Whether this replica owns the partition the application's promotion events go to. */
    @Override
    public boolean owns(String application) {
        int count = partitionCount;
        return count > 0 && owned.contains(partitionOf(application, count));
    }

    /** The partitions owned now. */
    public Set<Integer> owned() {
        return owned;
    }

    /**
     * The partition Kafka's producer puts a record keyed by the application into (the default partitioner: murmur2 of
     * the UTF-8 key, modulo the partition count), as the outbox relays of promote send promotion events.
     */
    public static int partitionOf(String application, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(application.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The consumer was given these partitions of a topic of {@code partitionCount} partitions, in addition to its own. */
    public synchronized void assigned(Collection<Integer> partitions, int partitionCount) {
        Set<Integer> next = new HashSet<>(owned);
        next.addAll(partitions);
        this.partitionCount = partitionCount;
        owned = Set.copyOf(next);
    }

    /** The consumer gave these partitions up (a rebalance) or lost them (its session expired). */
    public synchronized void revoked(Collection<Integer> partitions) {
        Set<Integer> next = new HashSet<>(owned);
        next.removeAll(partitions);
        owned = Set.copyOf(next);
    }
}
