package dev.promoter.build.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Transactions;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** No dual write: an event written in a transaction that rolls back never reaches Kafka. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OutboxRollbackTest {

    @Inject
    Outbox outbox;
    @Inject
    Transactions transactions;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;

    @Test
    void aFailedTransactionLeavesNoEventAndACommittedOneIsPublished() throws Throwable {
        ArtifactPublished lost = event("rolled-back", "11");
        ArtifactPublished kept = event("committed", "22");

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> transactions.inTransaction(() ->
                outbox.append(lost, "chain-1").chain(() -> Uni.createFrom().failure(new IllegalStateException("boom"))))))
                .hasMessageContaining("boom");
        VertxContextSupport.subscribeAndAwait(() -> transactions.inTransaction(() -> outbox.append(kept, "chain-2")));

        try (TopicReader artifacts = new TopicReader(bootstrap, prefix + Topics.ARTIFACTS.name())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> artifacts.poll("committed").size() == 1);
            assertThat(artifacts.poll("rolled-back")).isEmpty();
        }
        Long rows = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("select count(*) from outbox_event where record_key = 'rolled-back'", Long.class)
                        .getSingleResult())));
        assertThat(rows).isZero();
    }

    private static ArtifactPublished event(String application, String hexPair) {
        return new ArtifactPublished(application, "127.0.0.1:15000/shop/" + application,
                Digest.parse("sha256:" + hexPair.repeat(32)), null, null, null);
    }
}
