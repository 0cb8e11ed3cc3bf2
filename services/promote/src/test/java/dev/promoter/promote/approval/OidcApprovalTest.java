package dev.promoter.promote.approval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.Digest;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Approvals with OIDC tokens from an identity provider on loopback: a rule's {@code @group} admits whoever the token
 * puts in that group, the approval still counts when the request is evaluated again, and four eyes holds across
 * identities.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(OidcIssuer.class)
class OidcApprovalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aTokensGroupAdmitsAnApproverNobodyListedAndTheAuthorStaysRefused() {
        try (PipelineFixture pipeline = PipelineFixture.open()) {
            String app = "oidc-approved";
            String yaml = """
                    application: %s
                    repository: %s/shop/%s
                    people:
                      ada: { api: [ada], git: [ada] }
                    groups:
                      release-managers: [ada]
                    stages:
                      - name: dev
                      - name: prod
                        gates:
                          approvals: { count: 1, from: ['@release-managers'] }
                    """.formatted(app, pipeline.registryAddress(), app);
            given().contentType("application/yaml").header("Authorization", "Bearer test-token").body(yaml.getBytes())
                    .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
            Digest v1 = Digest.parse(pipeline.image().file("/app/version.txt", "v1").push("shop/" + app, "v1"));
            pipeline.writer().publish(new ArtifactPublished(app, pipeline.registryAddress() + "/shop/" + app, v1,
                    "0123456789abcdef0123456789abcdef01234567", "http://ci.local/job/1", "ada"));
            await().atMost(WAIT).until(() -> view(app).getList("stages.find { it.name == 'prod' }.pending.digest"),
                    pending -> pending.contains(v1.value()));

            // Ada wrote the commit: her OIDC token, in release-managers, does not make her an approver of her own work.
            decide(app, OidcIssuer.token("ada", List.of("release-managers")), v1).statusCode(403)
                    .body("detail", containsString("four eyes"));
            // A developer's token carries the approver role, but the rule names release-managers.
            decide(app, OidcIssuer.token("eve", List.of("developers")), v1).statusCode(403)
                    .body("detail", containsString("not among the approvers"));
            assertThat(pipeline.tag("shop/" + app, "prod")).isEmpty();

            // Dan is in no people list; his identity provider puts him in release-managers.
            decide(app, OidcIssuer.token("dan", List.of("release-managers")), v1).statusCode(200)
                    .body("phase", is("PROMOTED"));
            await().atMost(WAIT).until(() -> pipeline.tag("shop/" + app, "prod"), is(Optional.of(v1.value())));
            JsonPath audit = given().header("Authorization", "Bearer " + OidcIssuer.token("eve", List.of("developers")))
                    .when().get("/api/v1/applications/" + app + "/decisions").then().statusCode(200).extract().jsonPath();
            assertThat(audit.getList("identity")).containsExactly("api:dan");
        }
    }

    @Test
    void staticTokensKeepWorkingBesideOidcAndABadJwtIsRefused() {
        given().header("Authorization", "Bearer viewer-token").when().get("/api/v1/applications").then().statusCode(200);
        String valid = OidcIssuer.token("dan", List.of("release-managers"));
        String tampered = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA";
        given().header("Authorization", "Bearer " + tampered).when().get("/api/v1/applications")
                .then().statusCode(401).contentType("application/problem+json");
    }

    private static JsonPath view(String app) {
        return given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app).then().statusCode(200)
                .extract().jsonPath();
    }

    private static io.restassured.response.ValidatableResponse decide(String app, String token, Digest digest) {
        return given().contentType("application/json").header("Authorization", "Bearer " + token)
                .body(Map.of("digest", digest.value(), "decision", "approve"))
                .when().post("/api/v1/applications/" + app + "/stages/prod/approvals").then();
    }
}
