package dev.promoter.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Remembers which events each consumer applied, so that a redelivery changes nothing. */
@ApplicationScoped
public class Inbox {

    /**
     * True on the first delivery of the event to this consumer. Insert-first (never check-then-insert)
     * so two concurrent deliveries cannot both pass; must run in the transaction that applies the event.
     */
    public Uni<Boolean> firstDelivery(String consumer, String eventId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "insert into inbox (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
