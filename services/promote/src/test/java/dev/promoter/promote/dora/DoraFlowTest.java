package dev.promoter.promote.dora;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A known history played through the topics gives known DORA figures on {@code GET .../dora}. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DoraFlowTest {

    private static final String TOKEN = "Bearer test-token";
    /** A caller with only the viewer role (promote.api-roles.viewer=viewer): reads need it. */
    private static final String VIEWER = "Bearer viewer-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String APP = "metered";

    private PipelineFixture pipeline;
    private TopicWriter writer;
    private String registryAddress;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        writer = pipeline.writer();
        registryAddress = pipeline.registryAddress();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void twoMovesOneRolledBackGiveTheHandComputedFigures() {
        define();
        String repository = registryAddress + "/shop/metered";
        Digest v1 = push("v1");
        Digest v2 = push("v2");
        Instant commit1 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant commit2 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        writer.publish(new ArtifactPublished(APP, repository, v1, null, null, null, commit1));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/metered", "live"), is(Optional.of(v1.value())));
        writer.publish(new ServiceHealthy(APP, repository, "live", v1), context(Instant.now()));
        writer.publish(new ArtifactPublished(APP, repository, v2, null, null, null, commit2));
        await().atMost(WAIT).until(() -> pipeline.tag("shop/metered", "live"), is(Optional.of(v2.value())));

        // v2 goes bad in live: quarantined and rolled back to v1, which is healthy again 3 s after the verdict.
        Instant verdict = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        writer.publish(new ArtifactQuarantined(APP, repository, "live", v2, "probe failed"), context(verdict));
        writer.publish(new ServiceRolledBack(APP, repository, "live", v1, v2, "probe failed", "GET /health: 503"),
                context(verdict));
        writer.publish(new ServiceHealthy(APP, repository, "live", v1), context(verdict.plusSeconds(3)));

        // The tag moves before promote's transaction commits the move: wait for both to be recorded.
        List<Instant> moves = await().atMost(WAIT).until(() -> movesInto("live"), recorded -> recorded.size() == 2);
        // Lead times: move − commit per digest; the median of two is their mean.
        long expectedLeadTime = Duration.between(commit1, moves.get(0)).plus(Duration.between(commit2, moves.get(1)))
                .dividedBy(2).toSeconds();

        JsonPath dora = await().atMost(WAIT).until(() -> asViewer().when().get("/api/v1/applications/" + APP + "/dora")
                .then().statusCode(200).extract().jsonPath(), json -> json.getInt("timeToRestore.restores") == 1
                && Instant.now().isAfter(verdict.plusSeconds(3)));
        // Without a prod stage the default is the last stage.
        assertThat(dora.getString("stage")).isEqualTo("live");
        assertThat(dora.getString("window")).isEqualTo("30d");
        assertThat(dora.getInt("deploymentFrequency.deployments")).isEqualTo(2);
        // JsonPath reads JSON numbers as floats.
        assertThat(dora.getDouble("deploymentFrequency.perDay")).isCloseTo(2 / 30.0, offset(1e-6));
        assertThat(dora.getLong("leadTimeForChanges.medianSeconds")).isEqualTo(expectedLeadTime);
        assertThat(dora.getInt("leadTimeForChanges.samples")).isEqualTo(2);
        assertThat(dora.getInt("changeFailureRate.failed")).isEqualTo(1);
        assertThat(dora.getDouble("changeFailureRate.rate")).isEqualTo(0.5);
        assertThat(dora.getLong("timeToRestore.medianSeconds")).isEqualTo(3);
        assertThat(dora.getInt("timeToRestore.unrestored")).isZero();

        JsonPath qa = asViewer().queryParam("stage", "qa").queryParam("window", "1d")
                .when().get("/api/v1/applications/" + APP + "/dora").then().statusCode(200).extract().jsonPath();
        assertThat(qa.getInt("deploymentFrequency.deployments")).isEqualTo(2);
        assertThat(qa.getDouble("deploymentFrequency.perDay")).isEqualTo(2.0);
        assertThat(qa.getDouble("changeFailureRate.rate")).isEqualTo(0.0);
        assertThat((Object) qa.get("timeToRestore.medianSeconds")).isNull();
    }

    @Test
    void refusesAWindowItCannotReadAndAStageThePipelineLacks() {
        define();
        given().when().get("/api/v1/applications/" + APP + "/dora").then().statusCode(401);
        asViewer().queryParam("window", "a month").when().get("/api/v1/applications/" + APP + "/dora")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("window must be <n>d, <n>h or <n>m"));
        asViewer().queryParam("window", "400d").when().get("/api/v1/applications/" + APP + "/dora")
                .then().statusCode(400).body("detail", is("window must be at most 366d"));
        asViewer().queryParam("stage", "prod").when().get("/api/v1/applications/" + APP + "/dora")
                .then().statusCode(404).body("detail", is("metered has no stage prod; its stages: qa, live"));
        asViewer().when().get("/api/v1/applications/nobody-here/dora")
                .then().statusCode(404).body("detail", is("no pipeline definition for nobody-here"));
    }

    private void define() {
        String yaml = """
                application: %s
                repository: %s/shop/metered
                stages:
                  - name: qa
                  - name: live
                """.formatted(APP, registryAddress);
        given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml.getBytes())
                .when().put("/api/v1/applications/" + APP + "/pipeline").then().statusCode(org.hamcrest.Matchers.anyOf(
                        is(200), is(201)));
    }

    private List<Instant> movesInto(String stage) {
        JsonPath view = asViewer().when().get("/api/v1/applications/" + APP)
                .then().statusCode(200).extract().jsonPath();
        List<String> movedAt = view.getList("stages.find { it.name == '" + stage + "' }.history"
                + ".findAll { it.rollbackOf == null }.movedAt");
        return movedAt.stream().map(Instant::parse).sorted().toList();
    }

    private static RequestSpecification asViewer() {
        return given().header("Authorization", VIEWER);
    }

    private static EventContext context(Instant at) {
        return new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/rollback"), at,
                UUID.randomUUID().toString());
    }

    private Digest push(String version) {
        return Digest.parse(pipeline.image().file("/app/version.txt", version).user("1000")
                .push("shop/metered", version));
    }
}
