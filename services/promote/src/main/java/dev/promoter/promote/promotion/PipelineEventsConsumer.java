package dev.promoter.promote.promotion;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.Topic;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.IncomingEvents;
import dev.promoter.messaging.RecordConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Function;
import jakarta.enterprise.event.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** What promote hears: new artifacts, suite results, health verdicts and rollbacks, each applied exactly once. */
@ApplicationScoped
public class PipelineEventsConsumer implements RecordConsumer {

    static final String CONSUMER = "promote";

    private final IncomingEvents incoming;
    private final PromotionService promotions;
    private final Event<ApplicationChanged> changed;

    PipelineEventsConsumer(IncomingEvents incoming, PromotionService promotions, Event<ApplicationChanged> changed) {
        this.incoming = incoming;
        this.promotions = promotions;
        this.changed = changed;
    }

    /** Tells the live views once the event was applied and committed; the record key is the application. */
    private Uni<Void> announced(ConsumerRecord<String, byte[]> record, Uni<Void> applied) {
        return applied.invoke(() -> {
            if (record.key() != null) {
                changed.fire(new ApplicationChanged(record.key()));
            }
        });
    }

    @Incoming("artifacts")
    public Uni<Void> onArtifact(ConsumerRecord<String, byte[]> record) {
        return announced(record, incoming.apply(CONSUMER, Topics.ARTIFACTS, record, decoded ->
                decoded.event() instanceof ArtifactPublished published
                        ? promotions.onArtifactPublished(published, decoded.context())
                        : Uni.createFrom().voidItem()));
    }

    @Incoming("test-results")
    public Uni<Void> onTestResult(ConsumerRecord<String, byte[]> record) {
        return announced(record, incoming.apply(CONSUMER, Topics.TEST_RESULTS, record, decoded ->
                decoded.event() instanceof TestSuiteRunFinished finished
                        ? promotions.onTestSuiteRunFinished(finished, decoded.context())
                        : Uni.createFrom().voidItem()));
    }

    @Incoming("health")
    public Uni<Void> onHealth(ConsumerRecord<String, byte[]> record) {
        return announced(record, incoming.apply(CONSUMER, Topics.HEALTH, record, decoded ->
                decoded.event() instanceof ServiceHealthy healthy
                        ? promotions.onServiceHealthy(healthy, decoded.context())
                        : Uni.createFrom().voidItem()));
    }

    @Incoming("rollbacks")
    public Uni<Void> onRollback(ConsumerRecord<String, byte[]> record) {
        return announced(record, incoming.apply(CONSUMER, Topics.ROLLBACKS, record, decoded -> {
            if (decoded.event() instanceof ServiceRolledBack rolledBack) {
                return promotions.onServiceRolledBack(rolledBack, decoded.context());
            }
            if (decoded.event() instanceof ArtifactQuarantined quarantined) {
                return promotions.onArtifactQuarantined(quarantined, decoded.context());
            }
            if (decoded.event() instanceof ArtifactUnquarantined unquarantined) {
                return promotions.onArtifactUnquarantined(unquarantined);
            }
            return Uni.createFrom().voidItem();
        }));
    }

    @Override
    public Map<Topic, Function<ConsumerRecord<String, byte[]>, Uni<Void>>> byTopic() {
        return Map.of(Topics.ARTIFACTS, this::onArtifact, Topics.TEST_RESULTS, this::onTestResult,
                Topics.HEALTH, this::onHealth, Topics.ROLLBACKS, this::onRollback);
    }
}
