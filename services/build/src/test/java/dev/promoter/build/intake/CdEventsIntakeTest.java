package dev.promoter.build.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.PipelineSource;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/events}: CDEvents in the CloudEvents HTTP binding, binary and structured mode. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class CdEventsIntakeTest extends IntakeTest {

    @Test
    void anArtifactPublishedInBinaryModeBecomesAnArtifact() {
        define("ce-binary", "cd/ce-binary", new PipelineSource(null, null, List.of(), null));
        String digest = pushImage("cd/ce-binary", "0".repeat(40));
        String id = UUID.randomUUID().toString();

        binary(id, "dev.cdevents.artifact.published.0.3.0", published(id, "ce-binary", digest,
                pipeline.repository("cd/ce-binary"))).statusCode(202).body("status", is("accepted"));

        assertThat(decoded(published("ce-binary", 1).get(0))).isEqualTo(new ArtifactPublished("ce-binary",
                pipeline.repository("cd/ce-binary"), Digest.parse(digest), null, null, "mybot-myapp"));
        assertRefusedWithoutTrace("ce-binary", () -> binary(id, "dev.cdevents.artifact.published.0.3.0",
                published(id, "ce-binary", digest, pipeline.repository("cd/ce-binary")))
                .statusCode(200).body("status", is("duplicate")));
    }

    @Test
    void anArtifactPackagedInStructuredModeBecomesAnArtifactWithItsChange() {
        define("ce-structured", "cd/ce-structured", new PipelineSource(null, null, List.of(), null));
        String commit = "abcdef0123456789abcdef0123456789abcdef01";
        String digest = pushImage("cd/ce-structured", commit);
        String id = UUID.randomUUID().toString();
        String cdevent = new String(Payload.of("cdevents/artifact-packaged.json", Map.of("ID", id,
                "NAME", "ce-structured", "DIGEST_ENCODED", digest.replace(":", "%3A"),
                "REPOSITORY", pipeline.repository("cd/ce-structured"), "COMMIT", commit)), StandardCharsets.UTF_8);
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/event/source/123\","
                + "\"type\":\"dev.cdevents.artifact.packaged.0.3.0\",\"subject\":\"ce-structured\","
                + "\"time\":\"2026-03-02T10:00:00Z\",\"datacontenttype\":\"application/json\",\"data\":" + cdevent + "}";

        given().contentType("application/cloudevents+json; charset=UTF-8").header("Authorization", TOKEN)
                .body(cloudEvent).when().post("/api/v1/events").then().statusCode(202).body("status", is("accepted"));

        assertThat(((ArtifactPublished) decoded(published("ce-structured", 1).get(0))).commit()).isEqualTo(commit);
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/ce-structured/builds").then()
                .body("artifacts[0].source", is("cdevents")).body("artifacts[0].deliveryId", is(id));
    }

    @Test
    void anArtifactPublishedInStructuredModeWithDataBase64BecomesAnArtifact() {
        define("ce-base64", "cd/ce-base64", new PipelineSource(null, null, List.of(), null));
        String digest = pushImage("cd/ce-base64", "2".repeat(40));
        String id = UUID.randomUUID().toString();
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/event/source/123\","
                + "\"type\":\"dev.cdevents.artifact.published.0.3.0\",\"data_base64\":\"" + Base64.getEncoder()
                .encodeToString(published(id, "ce-base64", digest, pipeline.repository("cd/ce-base64"))) + "\"}";

        given().contentType("application/cloudevents+json").header("Authorization", TOKEN)
                .body(cloudEvent).when().post("/api/v1/events").then().statusCode(202).body("status", is("accepted"));

        assertThat(decoded(published("ce-base64", 1).get(0))).isEqualTo(new ArtifactPublished("ce-base64",
                pipeline.repository("cd/ce-base64"), Digest.parse(digest), null, null, "mybot-myapp"));
    }

    @Test
    void anotherCdEventTypeIs202IgnoredAndChangesNothing() {
        assertRefusedWithoutTrace("ce-other", () -> binary(UUID.randomUUID().toString(),
                "dev.cdevents.testsuiterun.finished.0.3.0", "{\"context\":{},\"subject\":{}}".getBytes())
                .statusCode(202).body("status", is("ignored")).body("detail", containsString("testsuiterun")));
    }

    @Test
    void withoutATokenIs401AndChangesNothing() {
        assertRefusedWithoutTrace("ce-anon", () -> given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-id", "x").header("ce-source", "/s")
                .header("ce-type", "dev.cdevents.artifact.published.0.3.0").body("{}")
                .when().post("/api/v1/events").then().statusCode(401));
    }

    @Test
    void aMissingCloudEventsHeaderIs400AndChangesNothing() {
        assertRefusedWithoutTrace("ce-noheader", () -> given().contentType("application/json")
                .header("Authorization", TOKEN).header("ce-specversion", "1.0").header("ce-source", "/s")
                .body("{}").when().post("/api/v1/events").then().statusCode(400)
                .body("errors", is(List.of("ce-id: is required", "ce-type: is required"))));
    }

    @Test
    void aMalformedDigestIs422AndChangesNothing() {
        define("ce-bad", "cd/ce-bad", new PipelineSource(null, null, List.of(), null));
        String id = UUID.randomUUID().toString();
        assertRefusedWithoutTrace("ce-bad", () -> binary(id, "dev.cdevents.artifact.published.0.3.0",
                published(id, "ce-bad", "sha256:12", pipeline.repository("cd/ce-bad")))
                .statusCode(422).body("detail", startsWith("the image digest 'sha256:12' is malformed")));
    }

    @Test
    void anUnknownRepositoryIs404NamingItAndChangesNothing() {
        String digest = pushImage("cd/ce-nobody", "1".repeat(40));
        String id = UUID.randomUUID().toString();
        assertRefusedWithoutTrace("ce-nobody", () -> binary(id, "dev.cdevents.artifact.published.0.3.0",
                published(id, "ce-nobody", digest, pipeline.repository("cd/ce-nobody")))
                .statusCode(404).body("detail", startsWith("repository " + pipeline.repository("cd/ce-nobody"))));
    }

    @Test
    void aBatchIs415AndChangesNothing() {
        assertRefusedWithoutTrace("ce-batch", () -> given().contentType("application/cloudevents-batch+json")
                .header("Authorization", TOKEN).body("[]").when().post("/api/v1/events").then().statusCode(415));
    }

    private ValidatableResponse binary(String id, String type, byte[] cdevent) {
        return given().contentType("application/json").header("Authorization", TOKEN)
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/event/source/123")
                .header("ce-type", type).header("ce-time", "2026-03-02T10:00:00Z")
                .body(cdevent).when().post("/api/v1/events").then();
    }

    private static byte[] published(String id, String name, String digest, String repository) {
        return Payload.of("cdevents/artifact-published.json", Map.of("ID", id, "NAME", name,
                "DIGEST_ENCODED", digest.replace(":", "%3A"), "REPOSITORY", repository));
    }
}
