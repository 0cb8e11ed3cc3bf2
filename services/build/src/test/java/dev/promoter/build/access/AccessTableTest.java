package dev.promoter.build.access;

import static dev.promoter.testinfra.AccessTable.endpoint;
import static dev.promoter.testinfra.AccessTable.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.testinfra.AccessTable;
import dev.promoter.testinfra.AccessTable.Endpoint;
import dev.promoter.testinfra.AuditLog;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may call which endpoint of the build service; webhooks keep their own signatures and are tested with them. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class AccessTableTest {

    @Inject
    Pool pool;

    static Stream<Arguments> table() {
        return AccessTable.cases(
                //                                                                   none viewer reporter releaser approver operator admin
                endpoint("POST", "/api/v1/builds", json("{}"),                        401, 403,  400,     403,     403,     403,     400),
                endpoint("POST", "/api/v1/events", json("{}"),                        401, 403,  400,     403,     403,     403,     400),
                endpoint("GET", "/api/v1/applications/nobody-knows/builds",           401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", "/api/v1/dead-letters",                                      401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/dead-letters/999999999/replay",                    401, 403,  403,     403,     403,     404,     404),
                endpoint("GET", "/api/v1/outgoing-calls?limit=1",                            401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/outgoing-calls/999999999/retry",                   401, 403,  403,     403,     403,     404,     404),
                endpoint("GET", "/q/health",                                          200, 200,  200,     200,     200,     200,     200),
                endpoint("GET", "/q/metrics",                                         200, 200,  200,     200,     200,     200,     200),
                endpoint("GET", "/q/openapi",                                         200, 200,  200,     200,     200,     200,     200));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("table")
    void eachEndpointAnswersEachRoleAsTheTableSays(Endpoint endpoint, String caller, int expected) {
        AccessTable.check(endpoint, caller, expected, this::recorded);
    }

    @Test
    void aViewerCannotReportABuildAndTheRefusalIsAuditedWithoutTheToken() {
        try (PipelineFixture pipeline = PipelineFixture.open(); AuditLog audit = AuditLog.record()) {
            String digest = pipeline.image().file("/app/version.txt", "viewed").push("shop/viewed", "v1");
            List<Long> before = recorded();
            given().auth().oauth2("viewer-token").contentType("application/json")
                    .body(Map.of("application", "viewed", "repository", pipeline.repository("shop/viewed"),
                            "digest", digest))
                    .when().post("/api/v1/builds")
                    .then().statusCode(403).contentType("application/problem+json");
            assertThat(recorded()).isEqualTo(before);
            given().auth().oauth2("viewer-token").when().get("/api/v1/applications/viewed/builds").then().statusCode(404);

            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .contains("status=403", "method=POST", "path=/api/v1/builds", "caller=viewer",
                            "authenticated-by=static-token", "needed-role=reporter", "at=")
                    .doesNotContain("viewer-token"));
        }
    }

    @Test
    void aCallerWithATokenButNoRolesMayNotEvenReadAndAnUnknownTokenIsAuditedAs401() {
        try (AuditLog audit = AuditLog.record()) {
            given().auth().oauth2("nobody-token").when().get("/api/v1/applications/any/builds")
                    .then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2("guessed-token").when().get("/api/v1/applications/any/builds")
                    .then().statusCode(401).header("WWW-Authenticate", "Bearer");
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line).contains("status=403", "caller=nobody",
                    "needed-role=viewer"));
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line).contains("status=401", "caller=unknown",
                    "reason=\"unknown token\"").doesNotContain("guessed-token"));
        }
    }

    /** What a refused write could have changed: the artifacts and deliveries the service holds. */
    private List<Long> recorded() {
        return Stream.of("artifact", "delivery").map(table -> pool.query("select count(*) from " + table).execute()
                .await().indefinitely().iterator().next().getLong(0)).toList();
    }
}
