package dev.promoter.e2e;

import dev.promoter.contracts.Topic;
import dev.promoter.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The pipeline's four topics as a test sees them from outside the services: everything they hold, a way to
 * deliver every record again unchanged, and whether each consumer group has worked through all of it.
 */
final class PipelineTopics implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;

    PipelineTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes one record, as a service or another system would, and waits until Kafka has it. */
    static void publish(String bootstrapServers, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Every record of every pipeline topic, by topic name, each partition in offset order. */
    Map<String, List<ConsumerRecord<String, byte[]>>> readAll() {
        Map<String, List<ConsumerRecord<String, byte[]>>> all = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            for (Topic topic : Topics.all()) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                if (!partitions.isEmpty()) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("could not read " + topic.name() + " to its end in 30 s");
                        }
                        consumer.poll(Duration.ofMillis(200)).records(topic.name()).forEach(records::add);
                    }
                }
                all.put(topic.name(), records);
            }
        }
        return all;
    }

    /** Publishes each record again to its topic and partition: same key, value and headers. */
    void redeliver(Map<String, List<ConsumerRecord<String, byte[]>>> records) {
        records.values().stream().flatMap(List::stream).forEach(r -> producer.send(new ProducerRecord<>(
                r.topic(), r.partition(), r.key(), r.value(), r.headers())));
        producer.flush();
    }

    /** How many records each pipeline topic holds (its partitions' end offsets summed). */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<TopicPartition, Long> end = endOffsets();
        for (Topic topic : Topics.all()) {
            counts.put(topic.name(), end.entrySet().stream().filter(e -> e.getKey().topic().equals(topic.name()))
                    .mapToLong(Map.Entry::getValue).sum());
        }
        return counts;
    }

    /**
     * True when every consumer group has committed, on every pipeline topic it reads, the end offset of every
     * partition: it processed everything there is. A group commits offsets only of what it has processed.
     */
    boolean consumersCaughtUp() {
        Map<TopicPartition, Long> end = endOffsets();
        for (String group : groups()) {
            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata());
            Set<String> topicsRead = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
                if (!topicsRead.contains(partition.getKey().topic())) {
                    continue;
                }
                OffsetAndMetadata offset = committed.get(partition.getKey());
                if ((offset == null ? 0 : offset.offset()) < partition.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<String> groups() {
        return get(admin.listConsumerGroups().all()).stream().map(ConsumerGroupListing::groupId).toList();
    }

    private Map<TopicPartition, Long> endOffsets() {
        Set<String> existing = get(admin.listTopics().names());
        List<String> topics = Topics.all().stream().map(Topic::name).filter(existing::contains).toList();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        get(admin.describeTopics(topics).allTopicNames()).forEach((name, description) -> description.partitions()
                .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> end = new HashMap<>();
        get(admin.listOffsets(request).all()).forEach((partition, info) -> end.put(partition, info.offset()));
        return end;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
