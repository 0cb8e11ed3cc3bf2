package dev.promoter.build.source;

import dev.promoter.build.messaging.Channels;
import dev.promoter.contracts.PipelineDefined;
import dev.promoter.contracts.Topic;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.IncomingEvents;
import dev.promoter.messaging.RecordConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Hears saved pipeline definitions and keeps each application's source and repository, so webhooks and
 * CDEvents can be mapped to applications. Exactly once per event (inbox); unreadable records are dead-lettered.
 */
@ApplicationScoped
public class DefinitionsConsumer implements RecordConsumer {

    private final IncomingEvents incoming;
    private final ApplicationSources sources;

    DefinitionsConsumer(IncomingEvents incoming, ApplicationSources sources) {
        this.incoming = incoming;
        this.sources = sources;
    }

    @Incoming(Channels.DEFINITIONS)
    public Uni<Void> onDefinition(ConsumerRecord<String, byte[]> record) {
        return incoming.apply(Channels.CONSUMER, Topics.DEFINITIONS, record, decoded -> {
            if (!(decoded.event() instanceof PipelineDefined defined)) {
                return Uni.createFrom().voidItem();
            }
            return sources.findById(defined.application()).chain(existing -> {
                // Compaction keeps per-key order, so the newest definition is applied last.
                ApplicationSource source = existing == null ? new ApplicationSource() : existing;
                source.apply(defined, decoded.context().timestamp());
                return existing == null ? sources.persist(source).replaceWithVoid() : Uni.createFrom().voidItem();
            });
        });
    }

    @Override
    public Map<Topic, Function<ConsumerRecord<String, byte[]>, Uni<Void>>> byTopic() {
        return Map.of(Topics.DEFINITIONS, this::onDefinition);
    }
}
