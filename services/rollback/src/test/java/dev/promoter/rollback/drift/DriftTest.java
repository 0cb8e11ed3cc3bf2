package dev.promoter.rollback.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.DeployHookPolicy;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.DriftPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.StageDrifted;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.rollback.outgoing.HookReceiver;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.promoter.testinfra.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Drift against the real registry: a stage tag moved directly in the registry, behind the pipeline's back, is reported
 * (and moved back where the stage's policy says {@code drift: restore}); a tag that agrees with the history is not.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@TestProfile(DriftTest.Checking.class)
class DriftTest extends StageWatchingTest {

    /** Checks every 300 ms; a mismatch counts once seen again a second later. */
    public static class Checking implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollback.drift.check-interval", "300ms", "rollback.drift.confirm-after", "1s");
        }
    }

    private static HookReceiver hooks;

    @BeforeAll
    static void startHooks() {
        hooks = HookReceiver.start();
    }

    @AfterAll
    static void stopHooks() {
        hooks.close();
    }

    @Inject
    DriftRepository drifts;
    @Inject
    Vertx vertx;

    @Test
    void aTagMovedByHandIsReportedAndLeftWhereItIsUnderDriftReport() {
        String application = "drift-cart-" + suffix();
        String repositoryPath = "drift/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", new StagePolicy(List.of(), null, null, null, DriftPolicy.REPORT)));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> h != null);

        registry.retag(repositoryPath, v2, "prod");

        StageDrifted drifted = (StageDrifted) await().atMost(WAIT).until(() -> decoded(application), e -> !e.isEmpty())
                .get(0).event();
        assertThat(drifted).isEqualTo(new StageDrifted(application, repository, "prod", Digest.parse(v1),
                Digest.parse(v2), false));
        assertThat(running(repositoryPath)).as("reported only").isEqualTo(v2);
        assertThat(history(application, "prod").getString("current")).isEqualTo(v1);
        List<Drift> recorded = drifts(application);
        assertThat(recorded).singleElement().satisfies(drift -> {
            assertThat(drift.action).isEqualTo(Drift.REPORTED);
            assertThat(drift.foundDigest).isEqualTo(v2);
            assertThat(drift.confirmedAt).isAfterOrEqualTo(drift.firstSeenAt.plusSeconds(1));
        });
        // The same drift is reported once, however many checks see it.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> drifts(application).size(),
                size -> size == 1);
        assertThat(decoded(application)).hasSize(1);
        assertThat(Metrics.sample("pipeline_drifts_total", "application=\"" + application + "\",stage=\"prod\""))
                .isEqualTo(1.0);
    }

    @Test
    void aTagMovedByHandIsMovedBackUnderDriftRestore() {
        String application = "drift-basket-" + suffix();
        String repositoryPath = "drift/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        registry.retag(repositoryPath, v1, "prod");
        String hookPath = "/" + application + "/deploy";
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", new StagePolicy(List.of(), null, null, new DeployHookPolicy(hooks.url(hookPath), null),
                        DriftPolicy.RESTORE)));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> h != null);

        registry.retag(repositoryPath, v2, "prod");

        await().atMost(WAIT).until(() -> running(repositoryPath), v1::equals);
        // The runtime may have restarted on the hand-moved tag: after the promotion's call, it is told again.
        List<HookReceiver.Delivery> told = await().atMost(WAIT).until(() -> hooks.deliveries(hookPath),
                d -> d.size() == 2);
        assertThat(told).extracting(HookReceiver.Delivery::type).containsExactly("dev.cdevents.service.deployed.0.3.0",
                StageDrifted.TYPE);
        assertThat(told).extracting(d -> d.cloudEvent().at("/data/customData/recordedDigest").textValue())
                .containsExactly(null, v1);
        List<DecodedEvent> events = await().atMost(WAIT).until(() -> decoded(application), e -> !e.isEmpty());
        assertThat(events).extracting(DecodedEvent::event).containsExactly(new StageDrifted(application, repository,
                "prod", Digest.parse(v1), Digest.parse(v2), true));
        assertThat(drifts(application)).extracting(d -> d.action).containsExactly(Drift.RESTORED);
        assertThat(history(application, "prod").getList("deployments")).as("a restore is no move").hasSize(1);
    }

    @Test
    void aTagThatAgreesWithTheHistoryIsNoDrift() {
        String application = "drift-till-" + suffix();
        String repositoryPath = "drift/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", new StagePolicy(List.of(), null, null, null, DriftPolicy.RESTORE)));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> h != null);

        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> drifts(application),
                List::isEmpty);
        assertThat(decoded(application)).isEmpty();
    }

    private List<Drift> drifts(String application) {
        return dev.promoter.messaging.Contexts.onFreshContext(vertx,
                () -> Panache.withSession(() -> drifts.ofStage(application, "prod"))).await().atMost(WAIT);
    }
}
