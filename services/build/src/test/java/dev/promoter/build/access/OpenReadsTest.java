package dev.promoter.build.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.testinfra.AuditLog;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The other way round: reads opened ({@code pipeline.auth.open-reads}), metrics and the OpenAPI document closed. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@TestProfile(OpenReadsTest.OpenReadsClosedMetrics.class)
class OpenReadsTest {

    /** Reads open, /q/metrics and /q/openapi closed. */
    public static class OpenReadsClosedMetrics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pipeline.auth.open-reads", "true", "pipeline.auth.open-metrics", "false",
                    "pipeline.auth.open-openapi", "false");
        }
    }

    @Test
    void readsNeedNoTokenButAWrongOneIsStillRefusedAndWritesStillNeedTheirRole() {
        given().when().get("/api/v1/applications/nobody-knows/builds").then().statusCode(404);
        given().auth().oauth2("guessed-token").when().get("/api/v1/applications/nobody-knows/builds")
                .then().statusCode(401);
        given().contentType("application/json").body("{}").when().post("/api/v1/builds").then().statusCode(401);
        given().auth().oauth2("viewer-token").contentType("application/json").body("{}").when().post("/api/v1/builds")
                .then().statusCode(403);
    }

    @Test
    void closedMetricsAndOpenApiNeedAViewerTokenEvenWithReadsOpenAndHealthStaysOpen() {
        try (AuditLog audit = AuditLog.record()) {
            for (String path : new String[] {"/q/metrics", "/q/openapi"}) {
                given().when().get(path).then().statusCode(401).contentType("application/problem+json")
                        .header("WWW-Authenticate", "Bearer");
                given().auth().oauth2("nobody-token").when().get(path).then().statusCode(403)
                        .contentType("application/problem+json");
                given().auth().oauth2("viewer-token").when().get(path).then().statusCode(200);
            }
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line).contains("status=401", "method=GET",
                    "path=/q/metrics", "needed-role=viewer", "reason=\"no bearer token\""));
        }
        given().when().get("/q/health").then().statusCode(200);
    }
}
