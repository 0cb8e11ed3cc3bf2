package dev.promoter.rollback.health;

/**
 * Which applications' stages this replica probes. Owned by the prober, implemented where the replica learns what it
 * owns (the promotions partitions Kafka assigned it), so that health depends on no other package.
 */
public interface Ownership {

    /** Whether this replica probes the stages of the application. */
    boolean owns(String application);
}
