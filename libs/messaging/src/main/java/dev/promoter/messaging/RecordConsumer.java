package dev.promoter.messaging;

import dev.promoter.contracts.Topic;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A bean with {@code @Incoming} methods that apply records through {@link IncomingEvents}: it names them per topic,
 * so a dead letter's replay goes through exactly the path its record took.
 */
public interface RecordConsumer {

    /** For each topic this bean consumes, the method its {@code @Incoming} channel calls. */
    Map<Topic, Function<ConsumerRecord<String, byte[]>, Uni<Void>>> byTopic();
}
