package dev.promoter.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs a unit of work in one database transaction and, once it committed, wakes the outbox relay so
 * the events it wrote leave at once instead of at the next sweep.
 */
@ApplicationScoped
public class Transactions {

    private final OutboxRelay relay;

    Transactions(OutboxRelay relay) {
        this.relay = relay;
    }

    public <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).invoke(relay::wakeUp);
    }
}
