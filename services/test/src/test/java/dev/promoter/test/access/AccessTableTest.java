package dev.promoter.test.access;

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
 * Who may call which endpoint of the test service. A caller the role lets through meets the endpoint's own checks
 * (a report without its suite is a 400, a re-run of a suite that never ran a 404).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class AccessTableTest {

    private static final String ARTIFACT = "/api/v1/applications/nobody-knows/artifacts/sha256:" + "0".repeat(64);

    @Inject
    Pool pool;

    static Stream<Arguments> table() {
        return AccessTable.cases(
                //                                                                           none viewer reporter releaser approver operator admin
                endpoint("GET", ARTIFACT + "/tests",                                         401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/test-results", body("application/xml", "<x/>"),    401, 403,  400,     403,     403,     403,     400),
                endpoint("POST", "/api/v1/events", json("{}"),                               401, 403,  400,     403,     403,     403,     400),
                endpoint("GET", "/api/v1/dead-letters",                                      401, 200,  200,     200,     200,     200,     200),
                endpoint("POST", "/api/v1/dead-letters/999999999/replay",                    401, 403,  403,     403,     403,     404,     404),
                endpoint("POST", ARTIFACT + "/stages/dev/suites/smoke/runs",                 401, 403,  403,     404,     403,     403,     404));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("table")
    void eachEndpointAnswersEachRoleAsTheTableSays(Endpoint endpoint, String caller, int expected) {
        AccessTable.check(endpoint, caller, expected, this::recorded);
    }

    /** What a refused write could have changed: suite runs and pending suites. */
    private List<Long> recorded() {
        return Stream.of("suite_run", "pending_suite")
                .map(table -> pool.query("select count(*) from " + table).execute()
                        .await().indefinitely().iterator().next().getLong(0)).toList();
    }
}
