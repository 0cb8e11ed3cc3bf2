package dev.promoter.rollback;

import static io.restassured.RestAssured.given;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Topics;
import dev.promoter.oci.RegistryClient;
import dev.promoter.rollback.health.HealthProber;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.TopicReader;
import dev.promoter.testinfra.TopicWriter;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the rollback service's flow tests share: a health stand-in the stages are probed on, the
 * topics and registry around the service, and helpers to push images and read what happened.
 */
public abstract class StageWatchingTest {

    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static HealthStandIn runtime;

    @Inject
    protected HealthProber prober;

    protected PipelineFixture pipeline;
    protected TopicWriter promotions;
    protected TopicReader rollbacks;
    protected RegistryClient registry;

    @BeforeAll
    static void startRuntime() {
        runtime = HealthStandIn.start();
    }

    @AfterAll
    static void stopRuntime() {
        runtime.close();
    }

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        promotions = pipeline.writer();
        rollbacks = pipeline.reader(Topics.ROLLBACKS);
        registry = pipeline.registry();
    }

    @AfterEach
    void disconnect() {
        prober.stopAll();
        pipeline.close();
    }

    /** The rollbacks topic's events about the application, decoded. */
    protected List<DecodedEvent> decoded(String application) {
        return rollbacks.poll(application).stream().map(r -> CdEventCodec.decode(r.value())).toList();
    }

    /** The stage's history as the endpoint shows it, or null while the stage is unknown. */
    protected static JsonPath history(String application, String stage) {
        Response response = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/{application}/stages/{stage}/history",
                application, stage);
        return response.statusCode() == 200 ? response.jsonPath() : null;
    }

    /** The digest the registry's prod tag points at, or null. */
    protected String running(String repositoryPath) {
        return pipeline.tag(repositoryPath, "prod").orElse(null);
    }

    /** Pushes a tiny real image of that version and returns its digest. */
    protected String push(String repositoryPath, String version) {
        return pipeline.image().file("/app/version.txt", version).user("1000")
                .push(repositoryPath, version.replace('.', '-'));
    }

    /** Application and repository names unique across test classes, which share the service's database. */
    protected static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
