package dev.promoter.rollback.outgoing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.contracts.DeployHookPolicy;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.DriftPolicy;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.SlackStandIn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import dev.promoter.messaging.Contexts;
import dev.promoter.messaging.outgoing.OutgoingCallSweeper;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.promoter.testinfra.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Deploy hooks and Slack notices against the real broker, database and registry, a loopback hook receiver and the
 * Slack stand-in: every move of a stage's tag reaches its hook, signed, in order; a failing hook is retried and each
 * attempt recorded; rollbacks and holds are posted to the stage's channel with their evidence.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(SlackTestResource.class)
class DeployHookAndSlackTest extends StageWatchingTest {

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
    OutgoingCallSweeper sweeper;

    @Inject
    Vertx vertx;

    private static SlackStandIn slack() {
        return SlackTestResource.slack;
    }

    @Test
    void everyMoveReachesTheDeployHookSignedAndARollbackIsPostedToSlackWithItsEvidence() throws Exception {
        String application = "hook-cart-" + suffix();
        String repositoryPath = "hooks/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        String hookPath = "/" + application + "/deploy";
        AtomicInteger v2Health = new AtomicInteger(200);
        runtime.answer("/" + application + "/prod/health", () -> v2.equals(running(repositoryPath)) ? v2Health.get() : 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/" + application
                + "/prod/health"), Duration.ofMillis(100), Duration.ofMillis(80), 3, 1, Duration.ZERO), "#releases",
                new DeployHookPolicy(hooks.url(hookPath), "prod-runtime"), DriftPolicy.REPORT);

        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));
        await().atMost(WAIT).until(() -> hooks.deliveries(hookPath), d -> d.size() == 1);
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> h.getBoolean("deployments[0].healthy"));
        registry.retag(repositoryPath, v2, "prod");
        promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(v2), Digest.parse(v1),
                "second", "pipeline", policy));
        await().atMost(WAIT).until(() -> hooks.deliveries(hookPath), d -> d.size() == 2);
        v2Health.set(503);
        List<HookReceiver.Delivery> deliveries = await().atMost(WAIT).until(() -> hooks.deliveries(hookPath),
                d -> d.size() == 3);

        assertThat(deliveries).extracting(HookReceiver.Delivery::type).containsExactly("dev.cdevents.service.deployed.0.3.0",
                "dev.cdevents.service.upgraded.0.3.0", "dev.cdevents.service.rolledback.0.3.0");
        assertThat(deliveries).extracting(d -> d.cloudEvent().at("/data/customData/digest").textValue())
                .containsExactly(v1, v2, v1);
        for (HookReceiver.Delivery delivery : deliveries) {
            assertThat(delivery.contentType()).startsWith("application/cloudevents+json");
            assertThat(delivery.signature()).isEqualTo(HookSignature.of("hook-test-secret", delivery.body()));
            JsonNode event = delivery.cloudEvent();
            assertThat(event.get("specversion").textValue()).isEqualTo("1.0");
            assertThat(event.get("subject").textValue()).isEqualTo(event.at("/data/subject/id").textValue());
            assertThat(event.at("/data/context/id").textValue()).isEqualTo(event.get("id").textValue());
        }
        assertThat(running(repositoryPath)).isEqualTo(v1);

        List<SlackStandIn.Message> messages = await().atMost(WAIT).until(() -> slack().messages("#releases"),
                m -> m.stream().anyMatch(message -> message.text().contains(application)));
        SlackStandIn.Message notice = messages.stream().filter(m -> m.text().contains(application)).findFirst()
                .orElseThrow();
        // A probe of a loaded machine may time out instead of answering 503; either is evidence.
        assertThat(notice.text()).contains("Rolled back", "from `" + v2 + "` to `" + v1 + "`", "Evidence: ",
                "health check failed: 3 probes in a row");

        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h.getList("calls.status", String.class).stream().allMatch("SUCCEEDED"::equals));
        assertThat(history.getList("calls.kind", String.class))
                .containsExactly("slack", "deploy-hook", "deploy-hook", "deploy-hook");
        assertThat(history.getList("calls.digest", String.class)).containsExactly(v1, v1, v2, v1);
        assertThat(history.getString("calls[1].lastOutcome")).isEqualTo("HTTP 200");

        String stage = "application=\"" + application + "\",stage=\"prod\"";
        assertThat(Metrics.sample("pipeline_rollbacks_total", stage)).isEqualTo(1.0);
        assertThat(Metrics.sample("pipeline_quarantines_total", stage)).isEqualTo(1.0);
        assertThat(Metrics.sample("pipeline_holds_total", stage)).isZero();
        assertThat(Metrics.sample("pipeline_probe_failures_total", stage)).as("failureThreshold 3")
                .isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void sweepersOfTwoReplicasRunningAtOnceCallEveryHookOnce() throws Exception {
        List<String> applications = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            applications.add("hook-race-" + i + "-" + suffix());
        }
        // Two more sweepers besides the service's own, each sweeping as fast as it can: replicas over one database.
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        Runnable replica = () -> {
            while (!stop.get()) {
                Contexts.onFreshContext(vertx, sweeper::sweep).await().indefinitely();
            }
        };
        CompletableFuture<Void> first = CompletableFuture.runAsync(replica, replicas);
        CompletableFuture<Void> second = CompletableFuture.runAsync(replica, replicas);
        try {
            for (String application : applications) {
                String repositoryPath = "hooks/" + application;
                String v1 = push(repositoryPath, "1.0.0");
                StagePolicy policy = new StagePolicy(List.of(), null, null,
                        new DeployHookPolicy(hooks.url("/" + application + "/deploy"), "prod-runtime"), DriftPolicy.REPORT);
                registry.retag(repositoryPath, v1, "prod");
                promotions.publish(new ServiceDeployed(application, pipeline.repository(repositoryPath), "prod",
                        Digest.parse(v1), null, "first", "pipeline", policy));
            }
            for (String application : applications) {
                await().atMost(WAIT).until(() -> history(application, "prod"),
                        h -> h != null && "SUCCEEDED".equals(h.getString("calls[0].status")));
            }
        } finally {
            stop.set(true);
            first.get();
            second.get();
            replicas.shutdown();
        }
        for (String application : applications) {
            assertThat(hooks.deliveries("/" + application + "/deploy")).as("%s's hook called once", application).hasSize(1);
            assertThat(history(application, "prod").getInt("calls[0].attempts")).isEqualTo(1);
        }
    }

    @Test
    void aFailingHookIsRetriedWithEachAttemptRecorded() {
        String application = "hook-basket-" + suffix();
        String repositoryPath = "hooks/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String hookPath = "/" + application + "/deploy";
        AtomicInteger answered = new AtomicInteger();
        hooks.answer(hookPath, () -> answered.incrementAndGet() <= 2 ? 503 : 204);
        double failedBefore = Metrics.sample("pipeline_outgoing_call_failures_total", "kind=\"deploy-hook\"");
        StagePolicy policy = new StagePolicy(List.of(), null, null,
                new DeployHookPolicy(hooks.url(hookPath), null), DriftPolicy.REPORT);

        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));

        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && "SUCCEEDED".equals(h.getString("calls[0].status")));
        assertThat(history.getInt("calls[0].attempts")).isEqualTo(3);
        assertThat(history.getList("calls[0].attemptLog", String.class)).hasSize(3)
                .satisfiesExactly(a -> assertThat(a).startsWith("attempt 1 at ").endsWith(": HTTP 503"),
                        a -> assertThat(a).startsWith("attempt 2 at ").endsWith(": HTTP 503"),
                        a -> assertThat(a).startsWith("attempt 3 at ").endsWith(": HTTP 204"));
        assertThat(hooks.deliveries(hookPath)).hasSize(3).allSatisfy(d -> assertThat(d.signature()).isNull());
        assertThat(Metrics.sample("pipeline_outgoing_call_failures_total", "kind=\"deploy-hook\"") - failedBefore)
                .as("two failed attempts").isEqualTo(2.0);
    }

    @Test
    void aHookThatUsedUpItsAttemptsIsListedAndAnOperatorRetriesItOnce() {
        String application = "hook-retry-" + suffix();
        String repositoryPath = "hooks/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String hookPath = "/" + application + "/deploy";
        AtomicInteger answered = new AtomicInteger();
        // Down for all four attempts the test profile allows, then back.
        hooks.answer(hookPath, () -> answered.incrementAndGet() <= 4 ? 503 : 204);
        StagePolicy policy = new StagePolicy(List.of(), null, null,
                new DeployHookPolicy(hooks.url(hookPath), null), DriftPolicy.REPORT);
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));

        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && "FAILED".equals(h.getString("calls[0].status")));
        JsonPath failed = given().auth().oauth2("viewer-token").when().get("/api/v1/outgoing-calls?status=failed").then().statusCode(200)
                .extract().jsonPath();
        String where = "outgoingCalls.find { it.application == '" + application + "' }.";
        assertThat(failed.getString(where + "kind")).isEqualTo("deploy-hook");
        assertThat(failed.getInt(where + "attempts")).isEqualTo(4);
        long id = failed.getLong(where + "id");

        given().when().post("/api/v1/outgoing-calls/" + id + "/retry").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer test-token").when().post("/api/v1/outgoing-calls/" + id + "/retry")
                .then().statusCode(200).body("status", is("PENDING"));

        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && "SUCCEEDED".equals(h.getString("calls[0].status")));
        assertThat(history.getList("calls[0].attemptLog", String.class))
                .anySatisfy(line -> assertThat(line).startsWith("retried by test at "))
                .last().satisfies(line -> assertThat(line).startsWith("attempt 1 at ").endsWith(": HTTP 204"));
        assertThat(hooks.deliveries(hookPath)).hasSize(5);
        given().header("Authorization", "Bearer test-token").when().post("/api/v1/outgoing-calls/" + id + "/retry")
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2("viewer-token").when().get("/api/v1/outgoing-calls?limit=0").then().statusCode(400);
    }

    @Test
    void aHookWhoseSecretIsNotConfiguredIsNeverSentUnsigned() {
        String application = "hook-till-" + suffix();
        String repositoryPath = "hooks/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String hookPath = "/" + application + "/deploy";
        StagePolicy policy = new StagePolicy(List.of(), null, null,
                new DeployHookPolicy(hooks.url(hookPath), "no-such-secret"), DriftPolicy.REPORT);

        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));

        JsonPath history = await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && "FAILED".equals(h.getString("calls[0].status")));
        assertThat(history.getInt("calls[0].attempts")).isEqualTo(4);
        assertThat(history.getString("calls[0].lastOutcome"))
                .isEqualTo("not sent: the secret 'no-such-secret' is not configured"
                        + " (ROLLBACK_DEPLOY_HOOK_SECRETS_NO_SUCH_SECRET)");
        assertThat(hooks.deliveries(hookPath)).isEmpty();
    }

    @Test
    void aHoldIsPostedToSlackAsNeedingAPerson() {
        String application = "hook-shelf-" + suffix();
        String repositoryPath = "hooks/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        runtime.answer("/" + application + "/prod/health", () -> 503);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/" + application
                + "/prod/health"), Duration.ofMillis(100), Duration.ofMillis(80), 3, 1, Duration.ZERO), "C0RELEASES");

        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));

        SlackStandIn.Message notice = await().atMost(WAIT).until(() -> slack().messages("C0RELEASES").stream()
                .filter(m -> m.text().contains(application)).toList(), m -> !m.isEmpty()).get(0);
        assertThat(notice.text()).contains("NOT rolled back", "no earlier digest was healthy in prod", v1,
                "Evidence: ", "health check failed: 3 probes in a row");
        assertThat(running(repositoryPath)).isEqualTo(v1);
        String stage = "application=\"" + application + "\",stage=\"prod\"";
        assertThat(Metrics.sample("pipeline_holds_total", stage)).isEqualTo(1.0);
        assertThat(Metrics.sample("pipeline_rollbacks_total", stage)).isZero();
    }
}
