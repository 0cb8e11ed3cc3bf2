package dev.promoter.rollback.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.Topics;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A digest found healthy in a stage is announced once on the health topic, for promote's soak gate. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class HealthyEventTest extends StageWatchingTest {

    @Test
    void aDigestFoundHealthyIsAnnouncedOnceOnTheHealthTopic() {
        String application = "soaked";
        String repositoryPath = "healthy-event/soaked-" + suffix();
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        runtime.answer("/soaked/stage/health", () -> 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/soaked/stage/health"),
                Duration.ofMillis(200), Duration.ofMillis(100), 3, 2, Duration.ZERO));
        TopicReader health = pipeline.reader(Topics.HEALTH);

        registry.retag(repositoryPath, v1, "stage");
        EventContext deployed = promotions.publish(new ServiceDeployed(application, repository, "stage", Digest.parse(v1),
                null, "suites passed in test", "pipeline", policy));

        var records = await().atMost(WAIT).until(() -> health.poll(application), r -> !r.isEmpty());
        var decoded = CdEventCodec.decode(records.get(0).value());
        assertThat(decoded.event()).isEqualTo(new ServiceHealthy(application, repository, "stage", Digest.parse(v1)));
        assertThat(decoded.context().chainId()).isEqualTo(deployed.chainId());
        // Later successful probes change nothing: the deployment is healthy already.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> health.poll(application).size(), is(1));
        assertThat(decoded(application)).as("nothing on the rollbacks topic").isEmpty();
    }
}
