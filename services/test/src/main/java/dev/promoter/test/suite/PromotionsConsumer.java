package dev.promoter.test.suite;

import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.Topic;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.IncomingEvents;
import dev.promoter.messaging.RecordConsumer;
import dev.promoter.test.messaging.Channels;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Hears promotions: an artifact that entered a stage ({@code service.deployed} or
 * {@code service.upgraded}) gets that stage's suites run against it, exactly once per event.
 */
@ApplicationScoped
public class PromotionsConsumer implements RecordConsumer {

    private final IncomingEvents incoming;
    private final SuiteRunService suiteRuns;

    PromotionsConsumer(IncomingEvents incoming, SuiteRunService suiteRuns) {
        this.incoming = incoming;
        this.suiteRuns = suiteRuns;
    }

    @Incoming(Channels.PROMOTIONS)
    public Uni<Void> onPromotion(ConsumerRecord<String, byte[]> record) {
        return incoming.apply(Channels.CONSUMER, Topics.PROMOTIONS, record, decoded -> {
            if (decoded.event() instanceof ServiceDeployed deployed) {
                return suiteRuns.runSuites(StageEntry.of(deployed), decoded.context());
            }
            if (decoded.event() instanceof ServiceUpgraded upgraded) {
                return suiteRuns.runSuites(StageEntry.of(upgraded), decoded.context());
            }
            return Uni.createFrom().voidItem();
        });
    }

    @Override
    public Map<Topic, Function<ConsumerRecord<String, byte[]>, Uni<Void>>> byTopic() {
        return Map.of(Topics.PROMOTIONS, this::onPromotion);
    }
}
