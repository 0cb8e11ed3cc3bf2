package dev.promoter.rollback.promotion;

import dev.promoter.contracts.Topic;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.IncomingEvents;
import dev.promoter.messaging.RecordConsumer;
import dev.promoter.rollback.drift.DriftWatcher;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.health.WatchedStages;
import dev.promoter.rollback.messaging.Channels;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Hears every promotion ({@code service.deployed}, {@code service.upgraded}), records it once, and then
 * (re)starts probing the stage from what was committed.
 */
@ApplicationScoped
public class PromotionsConsumer implements RecordConsumer {

    private static final Logger LOG = Logger.getLogger(PromotionsConsumer.class);

    private final IncomingEvents incoming;
    private final PromotionRecorder promotions;
    private final WatchedStages watchedStages;
    private final HealthProber prober;
    private final DriftWatcher drift;

    PromotionsConsumer(IncomingEvents incoming, PromotionRecorder promotions, WatchedStages watchedStages,
                       HealthProber prober, DriftWatcher drift) {
        this.incoming = incoming;
        this.promotions = promotions;
        this.watchedStages = watchedStages;
        this.prober = prober;
        this.drift = drift;
    }

    @Incoming(Channels.PROMOTIONS)
    public Uni<Void> onPromotion(ConsumerRecord<String, byte[]> record) {
        // Set only when the event was applied now: a redelivery leaves it empty and so changes no watch either.
        AtomicReference<ReceivedPromotion> applied = new AtomicReference<>();
        return incoming.apply(Channels.CONSUMER, Topics.PROMOTIONS, record, decoded ->
                        ReceivedPromotion.of(decoded.event()).map(promotion -> {
                            applied.set(promotion);
                            return promotions.record(promotion, decoded.context());
                        }).orElse(Uni.createFrom().voidItem()))
                .chain(() -> applied.get() == null ? Uni.createFrom().voidItem() : watchAsCommitted(applied.get())
                        .invoke(() -> drift.checkSoon(applied.get().application(), applied.get().stage())));
    }

    /**
     * Watches the stage as the database has it after the commit, not as the event said: the watch then always
     * names a committed deployment row, and a verdict on it can be checked against the stage later.
     */
    private Uni<Void> watchAsCommitted(ReceivedPromotion promotion) {
        return Panache.withSession(() -> watchedStages.of(promotion.application(), promotion.stage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
                .invoke(watched -> watched.ifPresentOrElse(prober::watch,
                        () -> prober.unwatch(promotion.application(), promotion.stage())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf("recorded the promotion of %s into %s but could not start probing it: %s; it is probed"
                            + " again after the next promotion or restart", promotion.application(), promotion.stage(),
                            failure.toString());
                    return null;
                });
    }

    @Override
    public Map<Topic, Function<ConsumerRecord<String, byte[]>, Uni<Void>>> byTopic() {
        return Map.of(Topics.PROMOTIONS, this::onPromotion);
    }
}
