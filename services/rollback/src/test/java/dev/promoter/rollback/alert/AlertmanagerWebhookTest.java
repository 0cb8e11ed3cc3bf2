package dev.promoter.rollback.alert;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.rollback.StageWatchingTest;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /webhooks/alertmanager} against the real broker, database and registry: a firing alert naming a stage
 * rolls it back, a resolved one does not, a repeated or stale alert does not roll back twice, and every refused
 * request changes nothing.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class AlertmanagerWebhookTest extends StageWatchingTest {

    private static final String TOKEN = "Bearer alertmanager-test-token";

    /** v1 deployed and found healthy in prod, then v2 promoted over it; both answer healthy probes. */
    private record Stage(String application, String repositoryPath, String repository, String v1, String v2) {
    }

    private Stage v2OverHealthyV1(String name) {
        String application = name + "-" + suffix();
        String repositoryPath = "alerts/" + application;
        String repository = pipeline.repository(repositoryPath);
        String v1 = push(repositoryPath, "1.0.0");
        String v2 = push(repositoryPath, "2.0.0");
        runtime.answer("/" + application + "/prod/health", () -> 200);
        StagePolicy policy = new StagePolicy(List.of(), new HealthCheckPolicy(runtime.url("/" + application
                + "/prod/health"), Duration.ofMillis(100), Duration.ofMillis(80), 3, 1, Duration.ZERO));
        registry.retag(repositoryPath, v1, "prod");
        promotions.publish(new ServiceDeployed(application, repository, "prod", Digest.parse(v1), null, "first",
                "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"),
                h -> h != null && h.getBoolean("deployments[0].healthy"));
        registry.retag(repositoryPath, v2, "prod");
        promotions.publish(new ServiceUpgraded(application, repository, "prod", Digest.parse(v2), Digest.parse(v1),
                "second", "pipeline", policy));
        await().atMost(WAIT).until(() -> history(application, "prod"), h -> v2.equals(h.getString("current")));
        return new Stage(application, repositoryPath, repository, v1, v2);
    }

    @Test
    void aFiringAlertRollsTheStageBackAndARepeatOrAStaleAlertDoesNotAgain() {
        Stage s = v2OverHealthyV1("alert-cart");
        Instant startsAt = Instant.now().plusMillis(1);

        given().contentType("application/json").header("Authorization", TOKEN)
                .body(notification("firing", s.application(), "prod", "HighErrorRate", "c0ffee01", startsAt))
                .post("/webhooks/alertmanager")
                .then().statusCode(200)
                .body("alerts[0].outcome", is("rolled-back"))
                .body("alerts[0].detail", containsString(s.v1()));

        assertThat(running(s.repositoryPath())).isEqualTo(s.v1());
        JsonPath history = history(s.application(), "prod");
        assertThat(history.getString("current")).isEqualTo(s.v1());
        assertThat(history.getList("quarantined", String.class)).containsExactly(s.v2());
        assertThat(history.getString("deployments[0].reason")).isEqualTo("alert HighErrorRate firing");
        assertThat(history.getString("deployments[0].actor")).isEqualTo("rollback");
        assertThat(history.getString("deployments[1].evidence")).isEqualTo("alert HighErrorRate firing since "
                + startsAt + " (fingerprint c0ffee01)");
        ServiceRolledBack rolledBack = (ServiceRolledBack) await().atMost(WAIT)
                .until(() -> decoded(s.application()), e -> e.size() == 2).get(0).event();
        assertThat(rolledBack.digest()).isEqualTo(Digest.parse(s.v1()));
        assertThat(rolledBack.rolledBackDigest()).isEqualTo(Digest.parse(s.v2()));
        assertThat(rolledBack.evidence()).contains("HighErrorRate", "c0ffee01");
        JsonPath alerts = given().auth().oauth2("viewer-token").get("/api/v1/applications/{a}/stages/prod/alerts", s.application()).jsonPath();
        assertThat(alerts.getList("alerts.outcome", String.class)).containsExactly("rolled-back");
        assertThat(alerts.getString("alerts[0].digest")).isEqualTo(s.v2());
        assertThat(alerts.getString("alerts[0].fingerprint")).isEqualTo("c0ffee01");

        // Alertmanager re-sends the same episode (repeat_interval) while Prometheus still sees it firing: it started
        // before v1 came back, so it is about v2 and must not roll v1 back.
        given().contentType("application/json").header("Authorization", TOKEN)
                .body(notification("firing", s.application(), "prod", "HighErrorRate", "c0ffee01", startsAt))
                .post("/webhooks/alertmanager")
                .then().statusCode(200).body("alerts[0].outcome", is("ignored"));
        assertThat(running(s.repositoryPath())).isEqualTo(s.v1());
        assertThat(history(s.application(), "prod").getList("deployments")).hasSize(3);
        assertThat(decoded(s.application())).hasSize(2);
        assertThat(given().auth().oauth2("viewer-token").get("/api/v1/applications/{a}/stages/prod/alerts", s.application()).jsonPath()
                .getList("alerts")).hasSize(1);
    }

    @Test
    void aResolvedAlertIsRecordedAndRollsNothingBack() {
        Stage s = v2OverHealthyV1("alert-basket");
        Instant startsAt = Instant.now().plusMillis(1);

        given().contentType("application/json").header("Authorization", TOKEN)
                .body(notification("resolved", s.application(), "prod", "HighLatency", "beef0001", startsAt))
                .post("/webhooks/alertmanager")
                .then().statusCode(200).body("alerts[0].outcome", is("cleared"));

        assertThat(running(s.repositoryPath())).isEqualTo(s.v2());
        assertThat(history(s.application(), "prod").getString("current")).isEqualTo(s.v2());
        assertThat(history(s.application(), "prod").getList("deployments")).hasSize(2);
        assertThat(given().auth().oauth2("viewer-token").get("/api/v1/applications/{a}/stages/prod/alerts", s.application()).jsonPath()
                .getList("alerts.status", String.class)).containsExactly("resolved");
        assertThat(decoded(s.application())).isEmpty();
    }

    @Test
    void anAlertWithoutTheLabelsOrAboutAnUnknownStageIsIgnored() {
        Stage s = v2OverHealthyV1("alert-till");
        String body = notification("firing", s.application(), "prod", "Other", "aa01", Instant.now())
                .replace("\"application\"", "\"app\"");
        given().contentType("application/json").header("Authorization", TOKEN).body(body)
                .post("/webhooks/alertmanager")
                .then().statusCode(200).body("alerts[0].outcome", is("ignored"))
                .body("alerts[0].detail", containsString("'application'"));
        given().contentType("application/json").header("Authorization", TOKEN)
                .body(notification("firing", s.application(), "nowhere", "Other", "aa02", Instant.now()))
                .post("/webhooks/alertmanager")
                .then().statusCode(200).body("alerts[0].outcome", is("ignored"));
        assertNothingChanged(s);
    }

    @Test
    void refusedNotificationsChangeNothing() {
        Stage s = v2OverHealthyV1("alert-shelf");
        String firing = notification("firing", s.application(), "prod", "HighErrorRate", "dd01", Instant.now());

        given().contentType("application/json").body(firing).post("/webhooks/alertmanager")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").header("Authorization", "Bearer wrong").body(firing)
                .post("/webhooks/alertmanager").then().statusCode(401).contentType("application/problem+json");
        given().contentType("text/plain").header("Authorization", TOKEN).body(firing)
                .post("/webhooks/alertmanager").then().statusCode(415).contentType("application/problem+json");
        given().contentType("application/json").header("Authorization", TOKEN)
                .body(firing.replace("\"receiver\"", "\"padding\":\"" + "x".repeat(AlertmanagerResource.MAX_BYTES)
                        + "\",\"receiver\""))
                .post("/webhooks/alertmanager").then().statusCode(413).contentType("application/problem+json");
        given().contentType("application/json").header("Authorization", TOKEN).body("{\"version\":")
                .post("/webhooks/alertmanager").then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").header("Authorization", TOKEN)
                .body(firing.replace("\"startsAt\":\"", "\"startsAt\":\"yesterday"))
                .post("/webhooks/alertmanager").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0]", containsString("alerts[0].startsAt"));
        given().contentType("application/json").header("Authorization", TOKEN)
                .body(firing.replace("\"version\":\"4\"", "\"version\":\"3\""))
                .post("/webhooks/alertmanager").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("version"));

        assertNothingChanged(s);
    }

    private void assertNothingChanged(Stage s) {
        assertThat(running(s.repositoryPath())).isEqualTo(s.v2());
        assertThat(history(s.application(), "prod").getString("current")).isEqualTo(s.v2());
        assertThat(history(s.application(), "prod").getList("deployments")).hasSize(2);
        assertThat(history(s.application(), "prod").getList("quarantined")).isEmpty();
        assertThat(given().auth().oauth2("viewer-token").get("/api/v1/applications/{a}/stages/prod/alerts", s.application()).jsonPath()
                .getList("alerts")).isEmpty();
        assertThat(decoded(s.application())).isEmpty();
    }

    /** A payload as Alertmanager's webhook notifier writes it (notify/webhook), one alert. */
    static String notification(String status, String application, String stage, String alertname, String fingerprint,
                               Instant startsAt) {
        String endsAt = "firing".equals(status) ? "0001-01-01T00:00:00Z" : Instant.now().plusSeconds(1).toString();
        return """
                {"receiver":"promo-rollback","status":"%1$s",
                 "alerts":[{"status":"%1$s",
                   "labels":{"alertname":"%4$s","application":"%2$s","stage":"%3$s","severity":"page"},
                   "annotations":{"summary":"error rate above 5%%"},
                   "startsAt":"%6$s","endsAt":"%7$s",
                   "generatorURL":"http://prometheus.local/graph?g0.expr=up","fingerprint":"%5$s"}],
                 "groupLabels":{"alertname":"%4$s"},"commonLabels":{"alertname":"%4$s"},"commonAnnotations":{},
                 "externalURL":"http://alertmanager.local","version":"4",
                 "groupKey":"{}:{alertname=\\"%4$s\\"}","truncatedAlerts":0}
                """.formatted(status, application, stage, alertname, fingerprint, startsAt, endsAt);
    }
}
