package dev.promoter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.contracts.Topic;
import dev.promoter.contracts.Topics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every pipeline topic from its end as the services write it, without joining any consumer group: tells
 * the benchmark when a stage's tag was announced as moved to a digest, and keeps each event's Kafka timestamp so
 * an artifact's way through the services can be cut into hops.
 */
final class PipelineEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event seen: which topic, the producer's timestamp, when the benchmark read it, and what it is about. */
    record Seen(String topic, long producedAtMs, Instant readAt, String application, String stage, String digest) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, CompletableFuture<Instant>> promotions = new ConcurrentHashMap<>();
    private final Map<String, List<Seen>> byDigest = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean recordHops;

    PipelineEvents(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            for (Topic topic : Topics.all()) {
                if (!existing.contains(topic.name())) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic.name(), 2, (short) 1))).all()
                                .get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not read the pipeline topics: " + e.getMessage(), e);
        }
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic topic : Topics.all()) {
            consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        reader = new Thread(this::read, "pipeline-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** Completes with the moment the benchmark read the promotion of {@code digest} into {@code stage}. */
    CompletableFuture<Instant> promoted(String application, String stage, String digest) {
        return promotions.computeIfAbsent(key(application, stage, digest), k -> new CompletableFuture<>());
    }

    /** Forgets a promotion the benchmark no longer waits for. */
    void forget(String application, String stage, String digest) {
        promotions.remove(key(application, stage, digest));
    }

    /** From now on, keep every event of every artifact for {@link #seen}. */
    void recordHops(boolean on) {
        recordHops = on;
    }

    List<Seen> seen(String digest) {
        return byDigest.getOrDefault(digest, List.of());
    }

    private void read() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Instant readAt = Instant.now();
                    JsonNode data = customData(record.value());
                    if (data == null) {
                        continue;
                    }
                    String application = data.path("application").asText(null);
                    String stage = data.path("stage").asText(null);
                    String digest = data.path("digest").asText(null);
                    if (digest == null) {
                        continue;
                    }
                    if (recordHops) {
                        byDigest.computeIfAbsent(digest, d -> new CopyOnWriteArrayList<>())
                                .add(new Seen(record.topic(), record.timestamp(), readAt, application, stage, digest));
                    }
                    if (record.topic().equals(Topics.PROMOTIONS.name()) && stage != null) {
                        promoted(application, stage, digest).complete(readAt);
                    }
                }
                // Keeps the map small: a promotion nobody waits for is dropped after it completed.
                if (promotions.size() > 50_000) {
                    promotions.values().removeIf(CompletableFuture::isDone);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static JsonNode customData(byte[] value) {
        try {
            JsonNode event = JSON.readTree(value);
            if (event.has("customData")) {
                return event.get("customData");
            }
            return event.path("data").has("customData") ? event.path("data").get("customData") : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String key(String application, String stage, String digest) {
        return application + "/" + stage + "/" + digest;
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
