package dev.promoter.rollback.history;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.RollbackTarget;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET .../stages/{stage}/history} and {@code .../alerts} a page at a time ({@code ?limit=&before=}) against the
 * real database: the first page, the next through its cursor, no cursor on the last, the marks (current, rollback
 * target) right on every page, and a 400 problem for a page size over the maximum or a malformed cursor. The stage
 * and its moves are written straight into the tables (a stage without health checks, so no probe touches it).
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class HistoryPagingTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    @Inject
    Pool pool;

    private static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    /** A stage with {@code moves} moves of digests 1..moves; digest 2 healthy, the newest quarantined-free. */
    private String seed(int moves, Set<Integer> healthy, Set<Integer> quarantined) {
        String application = "paging-" + UUID.randomUUID().toString().substring(0, 8);
        long last = 0;
        for (int i = 1; i <= moves; i++) {
            last = pool.preparedQuery("insert into deployment (application, stage, digest, reason, actor, chain_id,"
                            + " moved_at, healthy_at) values ($1, 'prod', $2, $3, 'pipeline', 'chain', $4, $5) returning id")
                    .execute(Tuple.of(application, digest(i), "move " + i, T0.plusSeconds(i),
                            healthy.contains(i) ? T0.plusSeconds(i).plusNanos(1_000_000) : null))
                    .await().indefinitely().iterator().next().getLong("id");
        }
        for (int q : quarantined) {
            pool.preparedQuery("insert into quarantine (application, stage, digest, reason, quarantined_at)"
                            + " values ($1, 'prod', $2, 'failed', $3)")
                    .execute(Tuple.of(application, digest(q), T0)).await().indefinitely();
        }
        pool.preparedQuery("insert into stage (application, stage, repository, current_digest, current_deployment_id,"
                        + " promoted_at) values ($1, 'prod', '127.0.0.1:1/paging', $2, $3, $4)")
                .execute(Tuple.of(application, digest(moves), last, T0.plusSeconds(moves))).await().indefinitely();
        return application;
    }

    private static JsonPath page(String path) {
        return given().auth().oauth2("viewer-token").when().get(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theHistoryPagesNewestFirstByCursorAndTheLastPageHasNone() {
        String application = seed(7, Set.of(2, 3), Set.of(3));
        String path = "/api/v1/applications/" + application + "/stages/prod/history";

        JsonPath first = page(path + "?limit=3");
        assertThat(first.getList("deployments.digest")).containsExactly(digest(7), digest(6), digest(5));
        assertThat(first.getList("deployments.current", Boolean.class)).containsExactly(true, false, false);
        assertThat(first.getString("current")).isEqualTo(digest(7));
        // 3 is quarantined: the target is 2, on the last page, the only move marked.
        assertThat(first.getString("rollbackTarget")).isEqualTo(digest(2));
        assertThat(first.getList("quarantined")).containsExactly(digest(3));
        assertThat(first.getString("health")).isEqualTo("unprobed");
        long cursor = first.getLong("nextBefore");

        JsonPath second = page(path + "?limit=3&before=" + cursor);
        assertThat(second.getList("deployments.digest")).containsExactly(digest(4), digest(3), digest(2));
        assertThat(second.getList("deployments.rollbackTarget", Boolean.class)).containsExactly(false, false, true);
        assertThat(second.getList("deployments.quarantined", Boolean.class)).containsExactly(false, true, false);
        assertThat(second.getString("current")).isEqualTo(digest(7));

        JsonPath last = page(path + "?limit=3&before=" + second.getLong("nextBefore"));
        assertThat(last.getList("deployments.digest")).containsExactly(digest(1));
        assertThat((Object) last.get("nextBefore")).isNull();

        // A page that ends exactly at the oldest move has no cursor either: no empty page follows.
        JsonPath exact = page(path + "?limit=7");
        assertThat(exact.getList("deployments")).hasSize(7);
        assertThat((Object) exact.get("nextBefore")).isNull();
        assertThat(page(path).getList("deployments")).hasSize(7);
    }

    @Test
    void theTargetOfThePageQueryIsTheRuleOfTheContract() {
        // Healthy 1, 2, 4; quarantined 4; the current digest 5 also deployed earlier (6 moves: 1 2 5 4 2 5).
        String application = "paging-" + UUID.randomUUID().toString().substring(0, 8);
        int[] digests = {1, 2, 5, 4, 2, 5};
        Set<Integer> healthyMoves = Set.of(0, 1, 3);
        long last = 0;
        List<RollbackTarget.Move> rule = new ArrayList<>();
        for (int i = 0; i < digests.length; i++) {
            last = pool.preparedQuery("insert into deployment (application, stage, digest, reason, actor, chain_id,"
                            + " moved_at, healthy_at) values ($1, 'prod', $2, 'm', 'pipeline', 'chain', $3, $4) returning id")
                    .execute(Tuple.of(application, digest(digests[i]), T0.plusSeconds(i),
                            healthyMoves.contains(i) ? T0.plusSeconds(i) : null))
                    .await().indefinitely().iterator().next().getLong("id");
            rule.add(new RollbackTarget.Move(digest(digests[i]), healthyMoves.contains(i)));
        }
        pool.preparedQuery("insert into quarantine (application, stage, digest, reason, quarantined_at)"
                + " values ($1, 'prod', $2, 'failed', $3)").execute(Tuple.of(application, digest(4), T0)).await().indefinitely();
        pool.preparedQuery("insert into stage (application, stage, repository, current_digest, current_deployment_id,"
                        + " promoted_at) values ($1, 'prod', '127.0.0.1:1/paging', $2, $3, $4)")
                .execute(Tuple.of(application, digest(5), last, T0)).await().indefinitely();

        JsonPath history = page("/api/v1/applications/" + application + "/stages/prod/history?limit=2");

        String expected = RollbackTarget.choose(rule, Set.of(digest(4))).orElseThrow();
        assertThat(history.getString("rollbackTarget")).isEqualTo(expected).isEqualTo(digest(2));
        // Marked on its newest move (the 5th), on the first page here.
        assertThat(history.getList("deployments.rollbackTarget", Boolean.class)).containsExactly(false, true);
    }

    @Test
    void aPageSizeOverTheMaximumOrAMalformedCursorIsA400Problem() {
        String application = seed(2, Set.of(), Set.of());
        for (String path : List.of("/api/v1/applications/" + application + "/stages/prod/history",
                "/api/v1/applications/" + application + "/stages/prod/alerts")) {
            given().auth().oauth2("viewer-token").when().get(path + "?limit=501").then().statusCode(400)
                    .contentType("application/problem+json").body("errors", hasItem("limit"));
            given().auth().oauth2("viewer-token").when().get(path + "?limit=ten").then().statusCode(400)
                    .contentType("application/problem+json").body("errors", hasItem("limit"));
            given().auth().oauth2("viewer-token").when().get(path + "?before=-4").then().statusCode(400)
                    .contentType("application/problem+json").body("errors", hasItem("before"));
            given().auth().oauth2("viewer-token").when().get(path + "?limit=500").then().statusCode(200);
        }
    }

    @Test
    void theAlertsPageNewestFirstByCursorAndTheLastPageHasNone() {
        String application = seed(1, Set.of(), Set.of());
        for (int i = 1; i <= 5; i++) {
            pool.preparedQuery("insert into alert_verdict (application, stage, digest, deployment_id, status, alertname,"
                            + " fingerprint, starts_at, received_at, outcome, evidence)"
                            + " values ($1, 'prod', $2, 1, 'firing', $3, $4, $5, $5, 'held', 'e')")
                    .execute(Tuple.of(application, digest(1), "alert-" + i, "f" + i, T0.plusSeconds(i)))
                    .await().indefinitely();
        }
        String path = "/api/v1/applications/" + application + "/stages/prod/alerts";

        JsonPath first = page(path + "?limit=2");
        assertThat(first.getList("alerts.alertname")).containsExactly("alert-5", "alert-4");
        JsonPath second = page(path + "?limit=2&before=" + first.getLong("nextBefore"));
        assertThat(second.getList("alerts.alertname")).containsExactly("alert-3", "alert-2");
        JsonPath last = page(path + "?limit=2&before=" + second.getLong("nextBefore"));
        assertThat(last.getList("alerts.alertname")).containsExactly("alert-1");
        assertThat((Object) last.get("nextBefore")).isNull();
        given().auth().oauth2("viewer-token").when().get(path).then().statusCode(200).body("alerts.size()", is(5));
    }
}
