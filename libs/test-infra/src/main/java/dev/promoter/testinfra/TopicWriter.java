package dev.promoter.testinfra;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.PipelineEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events the way the services do (CDEvent JSON value, ce_* headers, application key), so
 * a test can play the part of another service; also raw records, to test what consumers refuse.
 */
public final class TopicWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topicPrefix;

    public TopicWriter(String bootstrapServers, String topicPrefix) {
        this.topicPrefix = topicPrefix;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes the event to its contract topic with a fresh id; returns the context used. */
    public EventContext publish(PipelineEvent event) {
        EventContext context = new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/test"),
                Instant.now(), "chain-" + UUID.randomUUID());
        publish(event, context);
        return context;
    }

    /** Publishes the event with the given context; publishing one context twice is a redelivery. */
    public void publish(PipelineEvent event, EventContext context) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topicPrefix + event.topic().name(),
                event.application(), CdEventCodec.encode(event, context));
        CdEventCodec.cloudEventAttributes(event, context).kafkaHeaders()
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    /** Publishes arbitrary bytes under a key, e.g. a record no consumer can read. */
    public void publishRaw(String topic, String key, byte[] value) {
        send(new ProducerRecord<>(topicPrefix + topic, key, value));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + record.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
