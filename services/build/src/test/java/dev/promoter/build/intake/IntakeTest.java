package dev.promoter.build.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.PipelineDefined;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.TopicReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the intake tests share: the real pipeline, definitions published as promote would, and "nothing changed". */
abstract class IntakeTest {

    static final String TOKEN = "Bearer test-token";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String JENKINS_USER = "ci-bot";
    static final String JENKINS_API_TOKEN = "11aa22bb33cc44dd55ee66ff77889900aa";
    static final String JENKINS_PASSWORD = "correct horse battery staple";

    PipelineFixture pipeline;
    TopicReader artifacts;

    @BeforeEach
    void openPipeline() {
        pipeline = PipelineFixture.open();
        artifacts = pipeline.reader(Topics.ARTIFACTS);
    }

    @AfterEach
    void closePipeline() {
        pipeline.close();
    }

    /** Publishes the application's definition as promote does, and waits until the build service has it. */
    void define(String application, String repositoryPath, PipelineSource source) {
        pipeline.writer().publish(new PipelineDefined(application, pipeline.repository(repositoryPath),
                List.of("dev", "test", "stage", "prod"), source));
        await().atMost(WAIT).until(() -> given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + application + "/builds")
                .then().extract().statusCode() == 200);
    }

    static PipelineSource.JenkinsBuilder jenkins(URI url, String job, String credentials) {
        return new PipelineSource.JenkinsBuilder(url, job, credentials);
    }

    String pushImage(String repositoryPath, String commit) {
        return pipeline.image().file("/app/version.txt", repositoryPath + "@" + commit + System.nanoTime())
                .label("org.opencontainers.image.revision", commit).user("1000").push(repositoryPath, "built");
    }

    /** The artifact.published records of the application, once there are {@code count}. */
    List<ConsumerRecord<String, byte[]>> published(String application, int count) {
        return await().atMost(WAIT).until(() -> artifacts.poll(application), records -> records.size() == count);
    }

    /**
     * Runs a request that must be refused and asserts it changed nothing: no row in any table the service writes
     * (the outbox included, so nothing can reach any topic) and no new artifact.published record for the
     * application.
     */
    void assertRefusedWithoutTrace(String application, Supplier<?> request) {
        int published = artifacts.poll(application).size();
        Map<String, Long> before = Footprint.now();
        request.get();
        assertThat(Footprint.now()).isEqualTo(before);
        // Had anything been published, the relay (woken on commit, swept every second) would have sent it by now.
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> artifacts.poll(application).size() == published);
    }

    static Object decoded(ConsumerRecord<String, byte[]> record) {
        return CdEventCodec.decode(record.value()).event();
    }
}
