package dev.promoter.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Two outbox relays over one database, as two replicas of a service run them: they drain the same outbox at once,
 * and every event reaches Kafka once (the relays take turns: one relay per service holds the outbox at a time).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OutboxRelayReplicasTest {

    private static final int EVENTS = 60;

    @Inject
    Outbox outbox;
    @Inject
    OutboxRelay relay;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;

    @Test
    void twoRelaysDrainingAtOncePublishEveryEventOnce() throws Throwable {
        List<String> keys = IntStream.range(0, EVENTS).mapToObj(i -> "relay-race-" + i).toList();
        // Written without waking the relay (a plain transaction), so the two relays below find them all unsent.
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int i = 0; i < EVENTS; i++) {
                ArtifactPublished event = event(keys.get(i), i);
                chain = chain.chain(() -> outbox.append(event, "chain-relay-race").replaceWithVoid());
            }
            return chain;
        }));

        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Void>> drains = new ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                drains.add(CompletableFuture.runAsync(() -> {
                    try {
                        while (VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> unsent(keys))) > 0) {
                            VertxContextSupport.subscribeAndAwait(relay::drainOnce);
                        }
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                }, replicas));
            }
            CompletableFuture.allOf(drains.toArray(new CompletableFuture[0])).get();
        } finally {
            replicas.shutdown();
        }

        try (TopicReader artifacts = new TopicReader(bootstrap, prefix + Topics.ARTIFACTS.name())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> published(artifacts, keys).size() >= EVENTS);
            // One more look after all arrived: nothing went out twice.
            List<String> published = published(artifacts, keys);
            assertThat(published).containsExactlyInAnyOrderElementsOf(keys);
        }
    }

    /** Everything the reader saw so far of this test's events, by key. */
    private static List<String> published(TopicReader reader, List<String> keys) {
        return reader.poll().stream().map(r -> r.key()).filter(keys::contains).toList();
    }

    private static Uni<Long> unsent(List<String> keys) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select count(*) from outbox_event where sent_at is null and record_key = any(?1)", Long.class)
                .setParameter(1, keys.toArray(new String[0]))
                .getSingleResult());
    }

    private static ArtifactPublished event(String application, int i) {
        String hex = HexFormat.of().toHexDigits(i);
        return new ArtifactPublished(application, "127.0.0.1:15000/shop/" + application,
                Digest.parse("sha256:" + hex.repeat(8)), null, null, null);
    }
}
