package dev.promoter.build.delivery;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The accepted deliveries (webhooks, CDEvents), each once by its source's delivery id, so that a redelivery
 * changes nothing, even after a restart.
 */
@ApplicationScoped
public class Deliveries {

    /**
     * Records the delivery; true when it is the first with this id. Insert-first (never check-then-insert), so
     * two concurrent redeliveries cannot both pass; must run in the transaction that applies the delivery.
     */
    public Uni<Boolean> claim(Delivery delivery) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into delivery (source,"
                                + " delivery_id, event, application, outcome, received_at) values (?1, ?2, ?3, ?4, ?5, now())"
                                + " on conflict (source, delivery_id) do nothing")
                        .setParameter(1, delivery.source())
                        .setParameter(2, delivery.id())
                        .setParameter(3, delivery.event())
                        .setParameter(4, delivery.application())
                        .setParameter(5, delivery.outcome())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** Whether a delivery with this id was accepted before; a fast answer for redeliveries, not a guard. */
    public Uni<Boolean> seen(String source, String deliveryId) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "select count(*) from delivery where source = ?1 and delivery_id = ?2", Long.class)
                .setParameter(1, source)
                .setParameter(2, deliveryId)
                .getSingleResult()))
                .map(count -> count > 0);
    }
}
