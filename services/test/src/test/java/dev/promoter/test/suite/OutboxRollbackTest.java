package dev.promoter.test.suite;

import static dev.promoter.test.suite.PromotionsConsumerTest.REVISION;
import static dev.promoter.test.suite.PromotionsConsumerTest.finished;
import static dev.promoter.test.suite.PromotionsConsumerTest.imageChecks;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.Topics;
import dev.promoter.messaging.Transactions;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** No dual writes: suite runs and their events are written together or not at all. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OutboxRollbackTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;
    @ConfigProperty(name = "pipeline.registry.address")
    String registryAddress;

    @Inject
    Transactions transactions;
    @Inject
    SuiteRunService suiteRuns;

    @Test
    void aTransactionThatFailsAfterTheSuitesRanLeavesNeitherRunNorEvent() throws Throwable {
        RegistryClient registry = RegistryClient.forRegistry(registryAddress, RegistryCredentials.anonymous());
        Digest digest = Digest.parse(new ImageBuilder(registry).file("/app/version.txt", "rollback 1").user("1000")
                .label(REVISION, "0123456789abcdef").push("shop/rollback", "dev"));
        StageEntry intoTest = new StageEntry("rollback", registryAddress + "/shop/rollback", "test", digest,
                imageChecks(10_000_000));
        StageEntry intoStage = new StageEntry("rollback", registryAddress + "/shop/rollback", "stage", digest,
                imageChecks(10_000_000));

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> transactions.inTransaction(() ->
                suiteRuns.runSuites(intoTest, context()).chain(() -> Uni.createFrom().<Void>failure(
                        new IllegalStateException("crashed after the suites ran")))))).hasMessage("crashed after the suites ran");
        VertxContextSupport.subscribeAndAwait(() -> transactions.inTransaction(() -> suiteRuns.runSuites(intoStage, context())));

        // The relay publishes in commit order, so once the committed run's event is out nothing else is coming.
        try (TopicReader results = new TopicReader(bootstrap, prefix + Topics.TEST_RESULTS.name())) {
            ConsumerRecord<String, byte[]> only = await().atMost(Duration.ofSeconds(30))
                    .until(() -> results.poll("rollback"), records -> !records.isEmpty()).get(0);
            assertThat(finished(only).stage()).isEqualTo("stage");
            assertThat(results.poll("rollback")).hasSize(1);
        }
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/rollback/artifacts/" + digest + "/tests")
                .then().statusCode(200).body("size()", is(1)).body("[0].stage", is("stage")).body("[0].attempt", is(1));
    }

    private static EventContext context() {
        return new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/promote"), Instant.now(),
                "chain-" + UUID.randomUUID());
    }
}
