package dev.promoter.rollback.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.Topics;
import dev.promoter.kit.outbound.OutboundConfig;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.rollback.config.RollbackConfig;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.rollback.health.StageVerdicts;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.rollback.health.WatchedStages;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the rollback service over one database: the service under test (replica A) and a second replica (B)
 * made of the same parts, a consumer in the service's consumer group with its own partitions, prober and take-over.
 * Each probes only the stages of the applications whose promotions partition it owns; when B goes away, A takes B's
 * stages over from the database, and no verdict is lost or carried out twice.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class TwoReplicasTest extends StageWatchingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;
    @ConfigProperty(name = "quarkus.application.name")
    String group;

    @Inject
    PromotionPartitions partitionsOfA;
    @Inject
    Vertx vertx;
    @Inject
    StageVerdicts verdicts;
    @Inject
    RollbackConfig config;
    @Inject
    OutboundConfig outbound;
    @Inject
    MeterRegistry meters;
    @Inject
    WatchedStages watchedStages;

    /** Applications whose prod health fails while it runs v2. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    @Test
    void theStagesOfAReplicaThatGoesAwayAreTakenOverFromTheDatabase() throws Exception {
        String topic = prefix + Topics.PROMOTIONS.name();
        String run = suffix();
        Map<String, String> v1 = new HashMap<>();
        Map<String, String> v2 = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        int partitionCount;
        try (KafkaConsumer<String, byte[]> probe = consumer()) {
            partitionCount = probe.partitionsFor(topic).size();
        }
        assertThat(partitionCount).as("test topics have two partitions").isEqualTo(2);
        // Two applications in each partition.
        List<String> applications = new ArrayList<>();
        int[] perPartition = new int[partitionCount];
        for (int i = 0; applications.size() < 2 * partitionCount; i++) {
            String application = "takeover-" + run + "-" + i;
            int partition = PromotionPartitions.partitionOf(application, partitionCount);
            if (perPartition[partition] < 2) {
                perPartition[partition]++;
                applications.add(application);
            }
        }
        for (String application : applications) {
            String path = "two-replicas/" + application;
            paths.put(application, path);
            v1.put(application, push(path, "1.0.0"));
            v2.put(application, push(path, "2.0.0"));
            runtime.answer("/" + application + "/prod/health",
                    () -> failing.contains(application) && v2.get(application).equals(running(path)) ? 503 : 200);
            StagePolicy policy = policy(application);
            registry.retag(path, v1.get(application), "prod");
            promotions.publish(new ServiceDeployed(application, pipeline.repository(path), "prod",
                    Digest.parse(v1.get(application)), null, "first release", "pipeline", policy));
        }
        for (String application : applications) {
            await().atMost(WAIT).until(() -> history(application, "prod"),
                    h -> h != null && h.getBoolean("deployments[0].healthy"));
            registry.retag(paths.get(application), v2.get(application), "prod");
            promotions.publish(new ServiceUpgraded(application, pipeline.repository(paths.get(application)), "prod",
                    Digest.parse(v2.get(application)), Digest.parse(v1.get(application)), "second release", "pipeline",
                    policy(application)));
        }
        for (String application : applications) {
            await().atMost(WAIT).until(() -> history(application, "prod"),
                    h -> v2.get(application).equals(h.getString("current")) && h.getBoolean("deployments[0].healthy"));
        }
        assertThat(prober.watching()).as("alone, replica A probes every stage")
                .containsAll(applications.stream().map(a -> WatchedStage.key(a, "prod")).toList());

        // Replica B joins the consumer group.
        PromotionPartitions partitionsOfB = new PromotionPartitions();
        HealthProber proberOfB = new HealthProber(vertx, verdicts, config, outbound, meters, partitionsOfB);
        StageTakeover takeoverOfB = new StageTakeover(vertx, watchedStages, proberOfB, partitionsOfB, config);
        ReplicaConsumer b = new ReplicaConsumer(topic, partitionsOfB, takeoverOfB);
        try {
            await().atMost(WAIT).until(() -> partitionsOfB.owned().size() == 1 && partitionsOfA.owned().size() == 1);
            int ofB = partitionsOfB.owned().iterator().next();
            List<String> bApplications = applications.stream()
                    .filter(a -> PromotionPartitions.partitionOf(a, partitionCount) == ofB).toList();
            List<String> aApplications = applications.stream().filter(a -> !bApplications.contains(a)).toList();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(proberOfB.watching()).containsExactlyInAnyOrderElementsOf(keys(bApplications));
                assertThat(prober.watching()).containsAll(keys(aApplications)).doesNotContainAnyElementsOf(keys(bApplications));
            });
            WatchedStage takenOver = proberOfB.watched(bApplications.get(0), "prod").orElseThrow();
            assertThat(takenOver.digest()).isEqualTo(v2.get(bApplications.get(0)));
            assertThat(takenOver.healthy()).as("found healthy by A, so not announced again by B").isTrue();

            // One application of each replica fails while both run: each replica rolls back its own.
            failing.add(aApplications.get(0));
            failing.add(bApplications.get(0));
            for (String application : List.of(aApplications.get(0), bApplications.get(0))) {
                await().atMost(WAIT).until(() -> running(paths.get(application)), v1.get(application)::equals);
            }

            // Then B's second application fails, and B dies before it can finish counting the failures.
            failing.add(bApplications.get(1));
            int before = runtime.probes("/" + bApplications.get(1) + "/prod/health");
            await().atMost(WAIT).until(() -> runtime.probes("/" + bApplications.get(1) + "/prod/health") > before);
            proberOfB.stopAll();
            b.close();

            await().atMost(WAIT).until(() -> partitionsOfA.owned().size() == partitionCount);
            await().atMost(WAIT).until(() -> running(paths.get(bApplications.get(1))), v1.get(bApplications.get(1))::equals);
            // A probes the digest it rolled back to (watched once the rollback is committed, just after the tag moved).
            await().atMost(WAIT).until(() -> prober.watched(bApplications.get(1), "prod").map(WatchedStage::digest),
                    digest -> digest.filter(v1.get(bApplications.get(1))::equals).isPresent());
        } finally {
            proberOfB.stopAll();
            b.close();
        }

        // Every failing stage was rolled back exactly once, and every healthy verdict was announced exactly once.
        try (TopicReader health = pipeline.reader(Topics.HEALTH)) {
            for (String application : applications) {
                int rollbacks = failing.contains(application) ? 1 : 0;
                List<DecodedEvent> rolledBack = await().atMost(WAIT).until(() -> decoded(application).stream()
                        .filter(e -> e.event() instanceof ServiceRolledBack).toList(), e -> e.size() >= rollbacks);
                assertThat(rolledBack).as(application).hasSize(rollbacks);
                List<String> healthyV2 = await().atMost(WAIT).until(() -> health.poll(application).stream()
                        .map(r -> CdEventCodec.decode(r.value()).event())
                        .filter(ServiceHealthy.class::isInstance).map(e -> ((ServiceHealthy) e).digest().value())
                        .filter(v2.get(application)::equals).toList(), found -> !found.isEmpty());
                assertThat(healthyV2).as("v2 of %s found healthy once", application).hasSize(1);
                assertThat(history(application, "prod").getList("deployments")).hasSize(failing.contains(application) ? 3 : 2);
            }
        }
        assertThat(failing).hasSize(3);
    }

    private StagePolicy policy(String application) {
        return new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/" + application + "/prod/health"),
                Duration.ofMillis(200), Duration.ofMillis(100), 3, 1, Duration.ZERO));
    }

    private static List<String> keys(List<String> applications) {
        return applications.stream().map(a -> WatchedStage.key(a, "prod")).toList();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(properties);
    }

    /** Replica B's promotions consumer: in the service's group, polling on a thread of its own, never committing. */
    private final class ReplicaConsumer implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        ReplicaConsumer(String topic, PromotionPartitions partitions, StageTakeover takeover) {
            thread = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                            partitions.assigned(assigned.stream().map(TopicPartition::partition).toList(),
                                    consumer.partitionsFor(topic).size());
                            takeover.rebalanced();
                        }

                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                            partitions.revoked(revoked.stream().map(TopicPartition::partition).toList());
                        }
                    });
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(100));
                    }
                }
            }, "replica-b-promotions");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
