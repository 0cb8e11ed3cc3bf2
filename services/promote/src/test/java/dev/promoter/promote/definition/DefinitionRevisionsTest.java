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

    private ValidatableResponse validate(String app, String yaml, String token) {
        var request = given().contentType("application/yaml").body(yaml.getBytes());
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.when().post("/api/v1/applications/" + app + "/pipeline/validate").then();
    }

    @Test
    void aDryRunChecksLikeASaveShowsTheChangeAndSavesNothing() {
        String app = "dry-run";
        JsonPath first = validate(app, definition(app, "{soak: 1h}"), "test-token").statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(first.getBoolean("valid")).isTrue();
        assertThat(first.getInt("storedRevision")).isZero();
        assertThat(first.getBoolean("changed")).isTrue();
        assertThat(first.getString("diff")).startsWith("--- /dev/null\n+++ revision 1\n").contains("+application: " + app);
        assertThat(first.getString("definition")).contains("soak: 1h");
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/pipeline").then().statusCode(404);

        put(app, definition(app, "{soak: 1h}"), null).statusCode(201);
        JsonPath same = validate(app, definition(app, "{soak: 1h}"), "test-token").statusCode(200).extract().jsonPath();
        assertThat(same.getBoolean("changed")).isFalse();
        assertThat(same.getString("diff")).isEmpty();
        assertThat(same.getList("gatesChanged")).isEmpty();

        JsonPath change = validate(app, definition(app, "{soak: 2h}"), "test-token").statusCode(200).extract().jsonPath();
        assertThat(change.getInt("storedRevision")).isEqualTo(1);
        assertThat(change.getString("diff")).startsWith("--- revision 1\n+++ revision 2\n")
                .containsPattern("\n- +soak: 1h\n").containsPattern("\n\\+ +soak: 2h\n");
        assertThat(change.getList("gatesChanged")).containsExactly("prod");
        assertThat(revisions(app, "").getList("revisions.revision", Integer.class)).containsExactly(1);

        // The same refusals as a save, in the same words; nothing changes.
        String invalid = "application: " + app + "\nrepository: " + pipeline.registryAddress() + "/shop/" + app
                + "\nstages: []\n";
        String saveSays = put(app, invalid, null).statusCode(400).contentType("application/problem+json").extract()
                .jsonPath().getString("detail");
        validate(app, invalid, "test-token").statusCode(400).contentType("application/problem+json")
                .body("detail", is(saveSays)).body("detail", is("the pipeline definition is invalid; nothing was saved"))
                .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
        validate(app, definition("other", "{soak: 1h}"), "test-token").statusCode(400)
                .body("errors", hasItem(containsString("the YAML defines 'other' but is saved as '" + app + "'")));
        validate(app, definition(app, "{soak: 1h}"), null).statusCode(401).contentType("application/problem+json");
        validate(app, definition(app, "{soak: 1h}"), "releaser-token").statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("admin"));
        assertThat(revisions(app, "").getList("revisions.revision", Integer.class)).containsExactly(1);
    }
}
