package dev.promoter.promote.definition;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every save keeps a revision: listed with who and when, shown with its diff, guarded by If-Match. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DefinitionRevisionsTest {

    private static final String TOKEN = "Bearer test-token";

    private PipelineFixture pipeline;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    private String definition(String app, String prodGates) {
        return """
                application: %s
                repository: %s/shop/%s
                people:
                  ada: { api: [ada-cli] }
                  bob: { api: [bob-cli] }
                stages:
                  - name: dev
                  - name: prod
                    gates: %s
                """.formatted(app, pipeline.registryAddress(), app, prodGates);
    }

    private ValidatableResponse put(String app, String yaml, String ifMatch) {
        var request = given().contentType("application/yaml").header("Authorization", TOKEN).body(yaml.getBytes());
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.when().put("/api/v1/applications/" + app + "/pipeline").then();
    }

    private JsonPath revisions(String app, String query) {
        return given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline/revisions" + query).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void everySaveIsARevisionAndAStaleIfMatchIsRefused() {
        String app = "versioned";
        put(app, definition(app, "{approvals: {count: 1, from: [ada]}}"), null).statusCode(201)
                .header("ETag", "\"1\"");
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline").then().statusCode(200).header("ETag", "\"1\"");

        put(app, definition(app, "{approvals: {count: 1, from: [ada, bob]}}"), "\"1\"").statusCode(200)
                .header("ETag", "\"2\"");

        // Someone else saved revision 2 meanwhile: a save based on revision 1 is refused, nothing changes.
        put(app, definition(app, "{approvals: {count: 2, from: [ada, bob]}}"), "\"1\"").statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString("revision 2 is current"));
        String current = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline").then().statusCode(200)
                .header("ETag", "\"2\"").extract().asString();
        assertThat(current).contains("- ada\n").contains("- bob\n").contains("count: 1");

        // A save without If-Match still works; the same text again keeps the revision.
        put(app, definition(app, "{soak: 1h}"), null).statusCode(200).header("ETag", "\"3\"");
        put(app, definition(app, "{soak: 1h}"), "\"3\"").statusCode(200).header("ETag", "\"3\"");

        JsonPath all = revisions(app, "");
        assertThat(all.getList("revisions.revision", Integer.class)).containsExactly(3, 2, 1);
        assertThat(all.getList("revisions.savedBy")).containsOnly("api:test");
        assertThat(all.getList("revisions.gatesChanged")).containsExactly(
                java.util.List.of("prod"), java.util.List.of("prod"), java.util.List.of("prod"));
        assertThat(all.getString("next")).isNull();

        JsonPath first = revisions(app, "?limit=2");
        assertThat(first.getList("revisions.revision", Integer.class)).containsExactly(3, 2);
        assertThat(first.getString("next")).isEqualTo("/api/v1/applications/" + app + "/pipeline/revisions?limit=2&before=2");
        assertThat(revisions(app, "?limit=2&before=2").getList("revisions.revision", Integer.class)).containsExactly(1);

        JsonPath second = given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline/revisions/2").then()
                .statusCode(200).extract().jsonPath();
        assertThat(second.getString("definition")).contains("- bob");
        assertThat(second.getString("diff")).startsWith("--- revision 1\n+++ revision 2\n@@")
                .contains("\n+          - bob\n");
        assertThat(given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline/revisions/1").then()
                .statusCode(200).extract().jsonPath().getString("diff")).startsWith("--- /dev/null\n+++ revision 1\n");

        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline/revisions/9").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline/revisions?limit=0").then().statusCode(400);
        put(app, definition(app, "{soak: 2h}"), "yesterday").statusCode(400);
    }

    @Test
    void aChangeOutsideTheGatesNamesNoStage() {
        String app = "ungated-change";
        put(app, definition(app, "{soak: 1h}"), null).statusCode(201);
        put(app, definition(app, "{soak: 1h}").replace("  - name: dev\n", "  - name: dev\n    drift: restore\n"),
                null).statusCode(200).header("ETag", "\"2\"");
        assertThat(revisions(app, "").getList("revisions[0].gatesChanged")).isEmpty();
    }

    @Test
    void anIfMatchOnADefinitionThatDoesNotExistIsRefused() {
        put("never-saved", definition("never-saved", "{soak: 1h}"), "\"1\"").statusCode(412);
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/never-saved/pipeline").then().statusCode(404);
    }

    @Test
    void aHealthUrlAtTheCloudMetadataAddressIsRefusedNamingTheFieldAndTheRule() {
        String yaml = """
                application: metadata
                repository: %s/shop/metadata
                stages:
                  - name: dev
                    health: { url: "http://169.254.169.254/" }
                """.formatted(pipeline.registryAddress());
        put("metadata", yaml, null).statusCode(400).contentType("application/problem+json")
                .body("errors", hasItem(containsString("stages[0].health.url: 'http://169.254.169.254/' is refused by"
                        + " the outbound allow-list (pipeline.outbound.allowed): 169.254.169.254, a link-local or"
                        + " cloud metadata address (169.254.0.0/16)")))
                .body("errors.size()", is(1));
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/metadata/pipeline").then().statusCode(404);
    }
}
