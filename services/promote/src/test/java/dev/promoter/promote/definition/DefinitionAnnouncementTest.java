package dev.promoter.promote.definition;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.PipelineDefined;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.contracts.Topics;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every saved definition is announced on pipeline.definitions.v1 for the build service; a refused one is not. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DefinitionAnnouncementTest {

    private static final String TOKEN = "Bearer test-token";

    private PipelineFixture pipeline;
    private TopicReader definitions;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
        definitions = pipeline.reader(Topics.DEFINITIONS);
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void theDefinitionsTopicIsCompactedSoTheNewestDefinitionOfEveryApplicationStays() {
        String topic = ConfigProvider.getConfig().getOptionalValue("pipeline.topic-prefix", String.class).orElse("")
                + Topics.DEFINITIONS.name();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.describeConfigs(List.of(resource))
                    .all().get().get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                    TopicConfig.CLEANUP_POLICY_COMPACT::equals);
        }
    }

    @Test
    void aSavedDefinitionIsAnnouncedWithItsSourceKeyedByApplication() {
        String yaml = """
                application: announced
                repository: %s/shop/announced
                stages: [{name: dev}, {name: prod}]
                source:
                  github: acme/announced
                  branches: [main]
                  builder:
                    jenkins: {url: "https://ci.example/", job: announced/main, credentials: ci}
                """.formatted(pipeline.registryAddress());
        given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml.getBytes())
                .when().put("/api/v1/applications/announced/pipeline").then().statusCode(201);

        var records = await().atMost(Duration.ofSeconds(30)).until(() -> definitions.poll("announced"),
                list -> !list.isEmpty());
        assertThat(CdEventCodec.decode(records.get(0).value()).event()).isEqualTo(new PipelineDefined("announced",
                pipeline.registryAddress() + "/shop/announced", List.of("dev", "prod"),
                new PipelineSource("acme/announced", null, List.of("main"), new PipelineSource.JenkinsBuilder(
                        URI.create("https://ci.example/"), "announced/main", "ci")), 1, "api:test", List.of()));
    }

    @Test
    void aChangeOfApproversIsAnnouncedWithTheStagesWhoseGatesChanged() {
        String yaml = """
                application: regated
                repository: %s/shop/regated
                people:
                  ada: { api: [ada-cli] }
                  bob: { api: [bob-cli] }
                groups:
                  release-managers: [ada]
                stages:
                  - name: dev
                  - name: stage
                    gates: { soak: 1h }
                  - name: prod
                    gates: { approvals: { count: 1, from: ['@release-managers'] } }
                """.formatted(pipeline.registryAddress());
        given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml.getBytes())
                .when().put("/api/v1/applications/regated/pipeline").then().statusCode(201);
        // Only the group changes: prod's approvers change, stage's gates do not.
        given().contentType("application/yaml").header("Authorization", TOKEN)
                .body(yaml.replace("release-managers: [ada]", "release-managers: [ada, bob]").getBytes())
                .when().put("/api/v1/applications/regated/pipeline").then().statusCode(200);

        var records = await().atMost(Duration.ofSeconds(30)).until(() -> definitions.poll("regated"),
                list -> list.size() >= 2);
        PipelineDefined first = (PipelineDefined) CdEventCodec.decode(records.get(0).value()).event();
        PipelineDefined second = (PipelineDefined) CdEventCodec.decode(records.get(1).value()).event();
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.gatesChanged()).containsExactly("stage", "prod");
        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.savedBy()).isEqualTo("api:test");
        assertThat(second.gatesChanged()).containsExactly("prod");
    }

    @Test
    void aRefusedDefinitionIsNotAnnounced() {
        String yaml = """
                application: invalid-source
                repository: %s/shop/invalid-source
                source: {github: "no such thing"}
                """.formatted(pipeline.registryAddress());
        given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml.getBytes())
                .when().put("/api/v1/applications/invalid-source/pipeline").then().statusCode(400);
        // Once a later save is on the topic the relay has run past the refused request: nothing of it was there.
        given().contentType("application/yaml").header("Authorization", TOKEN)
                .body(("application: valid-after\nrepository: " + pipeline.registryAddress() + "/shop/r\n").getBytes())
                .when().put("/api/v1/applications/valid-after/pipeline").then().statusCode(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> !definitions.poll("valid-after").isEmpty());
        assertThat(definitions.poll("invalid-source")).isEmpty();
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/invalid-source/pipeline").then().statusCode(404);
    }
}
