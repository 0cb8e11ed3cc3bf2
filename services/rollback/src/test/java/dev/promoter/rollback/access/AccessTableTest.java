package dev.promoter.rollback.access;

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
 * Who may call which endpoint of the rollback service. A caller the role lets through meets the endpoint's own checks
 * (a missing reason is a 400, an unknown stage a 404); the Alertmanager webhook keeps its own token.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class AccessTableTest {

    private static final String STAGE = "/api/v1/applications/nobody-knows/stages/prod";

    @Inject
    Pool pool;

    static Stream<Arguments> table() {
        return AccessTable.cases(
                //                                                                           none viewer reporter releaser approver operator admin
                endpoint("GET", STAGE + "/history",                                          401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", STAGE + "/alerts",                                           401, 404,  404,     404,     404,     404,     404),
                endpoint("GET", "/api/v1/dead-letters",                                      401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/dead-letters/999999999/replay",                    401, 403,  403,     403,     403,     404,     404),
                endpoint("GET", "/api/v1/outgoing-calls?limit=1",                            401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/outgoing-calls/999999999/retry",                   401, 403,  403,     403,     403,     404,     404),
                endpoint("POST", STAGE + "/rollback", json("{}"),                            401, 403,  403,     403,     403,     400,     400),
                endpoint("DELETE", STAGE + "/quarantine/sha256:" + "0".repeat(64),           401, 403,  403,     403,     403,     400,     400));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("table")
    void eachEndpointAnswersEachRoleAsTheTableSays(Endpoint endpoint, String caller, int expected) {
        AccessTable.check(endpoint, caller, expected, this::recorded);
    }

    /** What a refused write could have changed: deployments, quarantines and their lifts, outgoing calls. */
    private List<Long> recorded() {
        return Stream.of("deployment", "quarantine", "quarantine_lift", "durable_call")
                .map(table -> pool.query("select count(*) from " + table).execute()
                        .await().indefinitely().iterator().next().getLong(0)).toList();
    }
}
