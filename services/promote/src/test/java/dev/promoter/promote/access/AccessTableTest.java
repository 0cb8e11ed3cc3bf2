package dev.promoter.promote.access;

import static dev.promoter.testinfra.AccessTable.body;
import static dev.promoter.testinfra.AccessTable.endpoint;
import static dev.promoter.testinfra.AccessTable.json;

import dev.promoter.testinfra.AccessTable;
import dev.promoter.testinfra.AccessTable.Endpoint;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call which endpoint of the promote service. A caller the role lets through meets the endpoint's own checks
 * (an empty body is a 400, an unknown application a 404); Slack interactions keep their own signatures.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class AccessTableTest {

    private static final String APP = "/api/v1/applications/nobody-knows";

    @Inject
    Pool pool;

    static Stream<Arguments> table() {
        return AccessTable.cases(
                //                                                                      none viewer reporter releaser approver operator admin
                endpoint("GET", "/api/v1/applications",                                  401, 200,  200,     200,     200,     200,     200),
                endpoint("GET", APP,                                                     401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", APP + "/pipeline",                                       401, 404,  404,     404,     404,     404,     404),
                endpoint("PUT", APP + "/pipeline", body("application/yaml", "stages: 1"), 401, 403,  403,     403,     403,     403,     400),
                endpoint("GET", "/api/v1/dead-letters",                                      401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/dead-letters/999999999/replay",                    401, 403,  403,     403,     403,     404,     404),
                endpoint("GET", APP + "/pipeline/revisions",                             401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", APP + "/pipeline/revisions/1",                           401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", "/api/v1/stop-the-line",                                 401, 200,  200,     200,     200,     200,     200),
                endpoint("DELETE", "/api/v1/stop-the-line?application=nobody-knows",     401, 403,  403,     403,     403,     404,     404),
                endpoint("GET", APP + "/decisions",                                      401, 200,  200,     200,     200,     200,     200),
                endpoint("GET", APP + "/stages/prod/history",                            401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", APP + "/dora",                                           401, 404,  404,     404,     404,     404,     404),
                endpoint("POST", APP + "/stages/prod/approvals", json("{}"),             401, 403,  403,     403,     400,     403,     400),
                endpoint("POST", APP + "/stages/prod/promotions", json("{}"),            401, 403,  403,     400,     403,     403,     400),
                endpoint("PUT", APP + "/stages/prod/pin", json("{}"),                    401, 403,  403,     404,     403,     403,     404),
                endpoint("DELETE", APP + "/stages/prod/pin",                             401, 403,  403,     404,     403,     403,     404));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("table")
    void eachEndpointAnswersEachRoleAsTheTableSays(Endpoint endpoint, String caller, int expected) {
        AccessTable.check(endpoint, caller, expected, this::recorded);
    }

    /** What a refused write could have changed: definitions, decisions, requests, pins. */
    private List<Long> recorded() {
        return Stream.of("pipeline_definition", "promotion_decision", "promotion_request", "stage_pin")
                .map(table -> pool.query("select count(*) from " + table).execute()
                        .await().indefinitely().iterator().next().getLong(0)).toList();
    }
}
