package dev.promoter.promote.view;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * promote's lists a page at a time ({@code ?limit=&before=}) against the real database: a stage's history (its own
 * endpoint, and one page per stage in the application view), the audit trail (a JSON array with the next page in its
 * {@code Link} header), the marks right on every page, and 400 problems for bad page parameters. Moves and decisions
 * are written straight into the tables of an application defined through the API.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
public class ListPagingTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>; rel=\"next\"");

    @Inject
    Pool pool;

    private PipelineFixture pipeline;

    @BeforeEach
    void connect() {
        pipeline = PipelineFixture.open();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    /** An application with stages dev and prod, prod moved to digests 1..moves, the given ones healthy or quarantined. */
    public static String seed(Pool pool, String registry, int moves, Set<Integer> healthy, Set<Integer> quarantined) {
        String app = "paging-" + UUID.randomUUID().toString().substring(0, 8);
        String yaml = """
                application: %s
                repository: %s/shop/%s
                stages:
                  - name: dev
                  - name: prod
                """.formatted(app, registry, app);
        given().contentType("application/yaml").header("Authorization", "Bearer test-token").body(yaml.getBytes())
                .when().put("/api/v1/applications/" + app + "/pipeline").then().statusCode(201);
        for (int i = 1; i <= moves; i++) {
            pool.preparedQuery("insert into deployment (application, stage, digest, previous_digest, reason, actor,"
                            + " moved_at) values ($1, 'prod', $2, $3, $4, 'pipeline', $5)")
                    .execute(Tuple.of(app, digest(i), i == 1 ? null : digest(i - 1), "move " + i, T0.plusSeconds(i)))
                    .await().indefinitely();
        }
        for (int h : healthy) {
            pool.preparedQuery("insert into stage_health (application, stage, digest, healthy_at) values ($1, 'prod', $2, $3)")
                    .execute(Tuple.of(app, digest(h), T0)).await().indefinitely();
        }
        for (int q : quarantined) {
            pool.preparedQuery("insert into quarantine (application, stage, digest, reason, quarantined_at)"
                    + " values ($1, 'prod', $2, 'failed', $3)").execute(Tuple.of(app, digest(q), T0)).await().indefinitely();
        }
        return app;
    }

    private String seed(int moves, Set<Integer> healthy, Set<Integer> quarantined) {
        return seed(pool, pipeline.registryAddress(), moves, healthy, quarantined);
    }

    static JsonPath get(String path) {
        return given().auth().oauth2("viewer-token").when().get(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aStagesHistoryPagesNewestFirstByCursorWithItsMarksOnEveryPage() {
        String app = seed(7, Set.of(2, 3), Set.of(3));
        String path = "/api/v1/applications/" + app + "/stages/prod/history";

        JsonPath first = get(path + "?limit=3");
        assertThat(first.getList("deployments.digest")).containsExactly(digest(7), digest(6), digest(5));
        assertThat(first.getList("deployments.current", Boolean.class)).containsExactly(true, false, false);
        assertThat(first.getString("current")).isEqualTo(digest(7));
        assertThat(first.getString("rollbackTarget")).isEqualTo(digest(2));

        JsonPath second = get(path + "?limit=3&before=" + first.getLong("nextBefore"));
        assertThat(second.getList("deployments.digest")).containsExactly(digest(4), digest(3), digest(2));
        assertThat(second.getList("deployments.rollbackTarget", Boolean.class)).containsExactly(false, false, true);
        assertThat(second.getList("deployments.current", Boolean.class)).containsExactly(false, false, false);

        JsonPath last = get(path + "?limit=3&before=" + second.getLong("nextBefore"));
        assertThat(last.getList("deployments.digest")).containsExactly(digest(1));
        assertThat((Object) last.get("nextBefore")).isNull();
        assertThat((Object) get(path + "?limit=7").get("nextBefore")).isNull();
        assertThat(get("/api/v1/applications/" + app + "/stages/dev/history").getList("deployments")).isEmpty();
    }

    @Test
    void theApplicationViewShowsEachStagesNewestPageAndWhereTheNextBegins() {
        String app = seed(5, Set.of(1), Set.of());

        JsonPath view = get("/api/v1/applications/" + app + "?limit=2");
        assertThat(view.getList("stages.find { it.name == 'prod' }.history.digest")).containsExactly(digest(5), digest(4));
        assertThat(view.getString("stages.find { it.name == 'prod' }.rollbackTarget")).isEqualTo(digest(1));
        long next = view.getLong("stages.find { it.name == 'prod' }.historyNextBefore");
        assertThat(get("/api/v1/applications/" + app + "/stages/prod/history?limit=2&before=" + next)
                .getList("deployments.digest")).containsExactly(digest(3), digest(2));
        assertThat((Object) view.get("stages.find { it.name == 'dev' }.historyNextBefore")).isNull();
        assertThat(get("/api/v1/applications/" + app).getList("stages.find { it.name == 'prod' }.history")).hasSize(5);
    }

    @Test
    void theAuditTrailStaysAnArrayAndLinksItsNextPage() {
        String app = seed(1, Set.of(), Set.of());
        for (int i = 1; i <= 5; i++) {
            pool.preparedQuery("insert into promotion_decision (application, stage, digest, decision, person, identity,"
                            + " via, comment, decided_at) values ($1, 'prod', $2, 'PIN', 'ada', 'api:ada', 'api', $3, $4)")
                    .execute(Tuple.of(app, digest(1), "pin " + i, T0.plusSeconds(i))).await().indefinitely();
        }
        String path = "/api/v1/applications/" + app + "/decisions";

        Response first = given().auth().oauth2("viewer-token").get(path + "?limit=2");
        assertThat(first.jsonPath().getList("comment")).containsExactly("pin 5", "pin 4");
        String second = next(first);
        assertThat(second).startsWith(path + "?limit=2&before=");
        Response page2 = given().auth().oauth2("viewer-token").get(second);
        assertThat(page2.jsonPath().getList("comment")).containsExactly("pin 3", "pin 2");
        Response page3 = given().auth().oauth2("viewer-token").get(next(page2));
        assertThat(page3.jsonPath().getList("comment")).containsExactly("pin 1");
        assertThat(page3.getHeader("Link")).isNull();
    }

    @Test
    void aPageSizeOverTheMaximumOrAMalformedCursorIsA400Problem() {
        String app = seed(1, Set.of(), Set.of());
        for (String path : List.of("/api/v1/applications/" + app + "/stages/prod/history",
                "/api/v1/applications/" + app + "/decisions", "/api/v1/applications/" + app)) {
            given().auth().oauth2("viewer-token").when().get(path + "?limit=501").then().statusCode(400)
                    .contentType("application/problem+json").body("errors", hasItem("limit"));
            given().auth().oauth2("viewer-token").when().get(path + "?limit=0").then().statusCode(400)
                    .contentType("application/problem+json").body("errors", hasItem("limit"));
            given().auth().oauth2("viewer-token").when().get(path + "?limit=500").then().statusCode(200);
        }
        for (String path : List.of("/api/v1/applications/" + app + "/stages/prod/history",
                "/api/v1/applications/" + app + "/decisions")) {
            given().auth().oauth2("viewer-token").when().get(path + "?before=yesterday").then().statusCode(400)
                    .contentType("application/problem+json").body("errors", hasItem("before"));
        }
        given().auth().oauth2("viewer-token").when().get("/api/v1/applications/" + app + "/stages/qa/history").then()
                .statusCode(404);
    }

    private static String next(Response page) {
        Matcher matcher = NEXT.matcher(page.getHeader("Link"));
        assertThat(matcher.find()).as("a Link header with rel=next").isTrue();
        return matcher.group(1);
    }
}
