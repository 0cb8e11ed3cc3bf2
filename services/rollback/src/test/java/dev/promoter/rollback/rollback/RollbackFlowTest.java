package dev.promoter.rollback.rollback;

import dev.promoter.rollback.StageWatchingTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.RollbackHeld;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.messaging.Contexts;
import dev.promoter.rollback.health.HealthPhase;
import dev.promoter.rollback.health.HealthVerdict;
import dev.promoter.rollback.health.StageVerdicts;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rollback service on its own against the real broker, database and registry: it hears promotions,
 * probes a loopback stand-in of the stage's runtime, and moves the registry tag back when health fails.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RollbackFlowTest extends StageWatchingTest {
    @Inject
    StageVerdicts verdicts;
    @Inject
    Vertx vertx;


    @Test
    void failingHealthRollsTheStageBackToItsLastHealthyDigest() {
        String application = "cart";
        String repositoryPath = "rollback-flow/cart-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        // The runtime runs whatever the prod tag points at, and v2 is broken.
        runtime.answer("/cart/prod/health", () -> v2.equals(running(repositoryPath)) ? 503 : 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/cart/prod/health"),
                Duration.ofMillis(200), Duration.ofMillis(100), 3, 1, Duration.ofMillis(500)));

        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null,
                "suites passed in stage", "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getBoolean("deployments[0].healthy"));

        EventContext upgrade = promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(v2),
                Digest.parse(v1), "suites passed in stage", "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> v2.equals(h.getString("current")));
        // Promote moves the tag before announcing; here the tag moves once v1's watch is over, so only v2 is seen failing.
        registry.retag(repositoryPath, v2, "prod");

        await().atMost(WAIT).until(() -> running(repositoryPath), v1::equals);

        List<DecodedEvent> events = await().atMost(WAIT)
                .until(() -> decoded(application), e -> e.size() >= 2);
        assertThat(events).hasSize(2);
        ServiceRolledBack rolledBack = (ServiceRolledBack) events.get(0).event();
        assertThat(rolledBack.digest()).isEqualTo(Digest.parse(v1));
        assertThat(rolledBack.rolledBackDigest()).isEqualTo(Digest.parse(v2));
        assertThat(rolledBack.stage()).isEqualTo("prod");
        assertThat(rolledBack.repository()).isEqualTo(repository);
        assertThat(rolledBack.reason()).isEqualTo("health check failed: 3 probes in a row of "
                + runtime.url("/cart/prod/health") + " failed");
        assertThat(rolledBack.evidence()).isEqualTo("HTTP 503, HTTP 503, HTTP 503");
        assertThat(events.get(0).context().chainId()).as("the failing digest's journey").isEqualTo(upgrade.chainId());
        assertThat(events.get(1).event()).isEqualTo(new ArtifactQuarantined(application, repository, "prod",
                Digest.parse(v2), rolledBack.reason()));
        assertThat(events.get(1).context().chainId()).isEqualTo(upgrade.chainId());

        JsonPath history = history(application, "prod");
        assertThat(history.getString("current")).isEqualTo(v1);
        assertThat(history.getList("quarantined", String.class)).containsExactly(v2);
        assertThat(history.getList("deployments.digest", String.class)).containsExactly(v1, v2, v1);
        assertThat(history.getList("deployments.current", Boolean.class)).containsExactly(true, false, false);
        assertThat(history.getString("deployments[0].rollbackOf")).isEqualTo(v2);
        assertThat(history.getString("deployments[0].reason")).isEqualTo(rolledBack.reason());
        Instant verdictAt = Instant.parse(history.getString("deployments[0].verdictAt"));
        Instant movedAt = Instant.parse(history.getString("deployments[0].movedAt"));
        assertThat(movedAt).isAfterOrEqualTo(verdictAt);
        assertThat(history.getString("deployments[1].reason")).isEqualTo("suites passed in stage");
        assertThat(history.getBoolean("deployments[1].quarantined")).isTrue();
        assertThat(history.getString("deployments[1].unhealthyAt")).isNotNull();
        assertThat(history.getString("deployments[1].evidence")).isEqualTo("HTTP 503, HTTP 503, HTTP 503");
        assertThat(history.getString("deployments[1].rollbackOf")).isNull();
        assertThat(history.getBoolean("deployments[2].healthy")).isTrue();
        assertThat(history.getString("deployments[2].reason")).isEqualTo("suites passed in stage");

        // Back on v1 the runtime is healthy again, so the stage is watched and found healthy, not moved again.
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> h.getBoolean("deployments[0].healthy"));
        assertThat(history(application, "prod").getList("deployments")).hasSize(3);
        assertThat(running(repositoryPath)).isEqualTo(v1);
    }

    @Test
    void withNoEarlierHealthyDigestTheFailingDigestIsHeldAndQuarantined() {
        String application = "basket";
        String repositoryPath = "rollback-flow/basket-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        runtime.answer("/basket/prod/health", () -> 503);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/basket/prod/health"),
                Duration.ofMillis(200), Duration.ofMillis(100), 3, 1, Duration.ZERO));

        registry.retag(repositoryPath, v1, "prod");
        EventContext deployed = promotions.publish(new ServiceDeployed(application, repository, "prod",
                Digest.parse(v1), null, "first release", "pipeline", policy));

        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getBoolean("deployments[0].held"));
        assertThat(history.getString("health")).isEqualTo("held");
        assertThat(history.getString("current")).isEqualTo(v1);
        assertThat(history.getString("rollbackTarget")).isNull();
        assertThat(history.getList("quarantined", String.class)).containsExactly(v1);
        assertThat(history.getList("deployments")).hasSize(1);
        assertThat(history.getString("deployments[0].heldReason")).isEqualTo("no earlier digest was healthy in prod");
        assertThat(history.getString("deployments[0].evidence")).isEqualTo("HTTP 503, HTTP 503, HTTP 503");
        assertThat(history.getString("deployments[0].unhealthyAt")).isNotNull();
        assertThat(running(repositoryPath)).as("the tag stays where it was").isEqualTo(v1);

        List<DecodedEvent> events = await().atMost(WAIT).until(() -> decoded(application), e -> !e.isEmpty());
        assertThat(events.get(0).event()).isEqualTo(new ArtifactQuarantined(application, repository, "prod",
                Digest.parse(v1), "health check failed: 3 probes in a row of " + runtime.url("/basket/prod/health")
                + " failed"));
        assertThat(events.get(0).context().chainId()).isEqualTo(deployed.chainId());
        // The hold is announced, for people to act on.
        List<DecodedEvent> announced = await().atMost(WAIT).until(() -> decoded(application), e -> e.size() >= 2);
        assertThat(announced.get(1).event()).isEqualTo(new RollbackHeld(application, repository, "prod",
                Digest.parse(v1), "no earlier digest was healthy in prod",
                history.getString("deployments[0].evidence")));
        // No rollback follows, and the held digest is no longer probed.
        int probes = runtime.probes("/basket/prod/health");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> decoded(application),
                e -> e.size() == 2 && e.stream().noneMatch(d -> d.event() instanceof ServiceRolledBack));
        assertThat(runtime.probes("/basket/prod/health")).isEqualTo(probes);
        assertThat(running(repositoryPath)).isEqualTo(v1);
    }

    @Test
    void aHealthUrlTheOutboundAllowListRefusesIsNeverProbedAndFailsWithTheReason() {
        // Promote refuses such a definition; a definition saved before the allow-list shrank still arrives like this.
        String application = "metadata";
        String repositoryPath = "rollback-flow/metadata-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(
                java.net.URI.create("http://169.254.169.254/latest/meta-data/"), Duration.ofMillis(200),
                Duration.ofMillis(100), 3, 1, Duration.ZERO));

        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null,
                "first release", "pipeline", policy));

        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getBoolean("deployments[0].held"));
        assertThat(history.getString("deployments[0].evidence")).startsWith("refused by the outbound allow-list"
                + " (pipeline.outbound.allowed): 169.254.169.254, a link-local or cloud metadata address"
                + " (169.254.0.0/16); refused unless the allow-list names it explicitly");
    }

    @Test
    void aVerdictOnADeploymentTheStageNoLongerRunsChangesNothingAndPutsTheTagBack() {
        String application = "checkout";
        String repositoryPath = "rollback-flow/checkout-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        String v3 = push(repositoryPath, "3.0.0");
        StagePolicy unprobed = new StagePolicy(List.of(), null);
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", unprobed));
        promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(v2), Digest.parse(v1),
                "second", "pipeline", unprobed));
        JsonPath before = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && v2.equals(h.getString("current")));
        registry.retag(repositoryPath, v2, "prod");

        // A verdict on v1 reached just as the promotion of v2 was recorded: the prober moves the tag first.
        long v1Deployment = before.getLong("deployments[1].id");
        HealthCheckPolicy health = new HealthCheckPolicy(runtime.url("/checkout/prod/health"), Duration.ofMillis(200),
                Duration.ofMillis(100), 3, 1, Duration.ZERO);
        WatchedStage stale = new WatchedStage(application, "prod", repository, v1, v1Deployment, "chain-v1", health,
                Instant.now(), false, new WatchedStage.Target(v3, "chain-v3"));
        HealthVerdict verdict = new HealthVerdict(HealthPhase.UNHEALTHY, Instant.now(), "health check failed: test",
                "HTTP 503");
        Optional<WatchedStage> next = Contexts.onFreshContext(vertx, () -> verdicts.unhealthy(stale, verdict))
                .await().atMost(WAIT);

        assertThat(next).isEmpty();
        assertThat(running(repositoryPath)).as("back on what the stage runs by its history").isEqualTo(v2);
        JsonPath after = history(application, "prod");
        assertThat(after.getList("deployments.digest", String.class)).containsExactly(v2, v1);
        assertThat(after.getList("quarantined", String.class)).isEmpty();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> decoded(application),
                List::isEmpty);
    }

    @Test
    void failuresWhileTheTagPointsAtAPromotionNotHeardOfYetHoldNothingUntilItIsRecorded() {
        String application = "crate";
        String repositoryPath = "rollback-flow/crate-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        // The runtime runs whatever the prod tag points at, and v2 is broken; v1 was never found healthy.
        runtime.answer("/crate/prod/health", () -> v2.equals(running(repositoryPath)) ? 503 : 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/crate/prod/health"),
                Duration.ofMillis(200), Duration.ofMillis(100), 3, 5, Duration.ZERO));
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first release",
                "pipeline", policy));
        await().atMost(WAIT).until(() -> prober.watched(application, "prod").isPresent());

        // Promote moved the tag to v2, and its event is late (e.g. the partition is being taken over by another
        // replica): v1's watch sees v2's failures, which must not hold and quarantine v1.
        registry.retag(repositoryPath, v2, "prod");
        int before = runtime.probes("/crate/prod/health");
        // Three failures in a row reach the verdict (the watch then stops probing); it waits, it holds nothing.
        await().atMost(WAIT).until(() -> runtime.probes("/crate/prod/health") >= before + 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> history(application, "prod").getList("quarantined"), List::isEmpty);

        promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(v2), Digest.parse(v1),
                "second release", "pipeline", policy));
        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h.getList("quarantined").contains(v2));
        assertThat(history.getList("quarantined", String.class)).as("v2 is held, v1 never was").containsExactly(v2);
        assertThat(history.getBoolean("deployments[1].held")).isFalse();
    }
}
