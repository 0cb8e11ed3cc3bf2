package dev.promoter.rollback.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading Alertmanager's webhook payload (version 4) and deciding what a firing alert means. */
class AlertmanagerNotificationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsTheAlertsOfAVersion4Payload() throws Exception {
        Instant startsAt = Instant.parse("2026-03-02T11:31:00.123Z");
        AlertmanagerNotification notification = AlertmanagerNotification.read(MAPPER.readTree(
                AlertmanagerWebhookTest.notification("firing", "cart", "prod", "HighErrorRate", "4f1a", startsAt)));

        assertThat(notification.receiver()).isEqualTo("promo-rollback");
        assertThat(notification.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.firing()).isTrue();
            assertThat(alert.alertname()).isEqualTo("HighErrorRate");
            assertThat(alert.labels()).containsEntry("application", "cart").containsEntry("stage", "prod");
            assertThat(alert.startsAt()).isEqualTo(startsAt);
            assertThat(alert.fingerprint()).isEqualTo("4f1a");
        });
        assertThat(AlertService.evidence(notification.alerts().get(0)))
                .isEqualTo("alert HighErrorRate firing since 2026-03-02T11:31:00.123Z (fingerprint 4f1a)");
    }

    @Test
    void namesEveryMissingOrMalformedField() {
        assertThatThrownBy(() -> AlertmanagerNotification.read(MAPPER.readTree(
                "{\"alerts\":[{\"status\":\"pending\",\"labels\":{\"a\":1},\"startsAt\":\"soon\"}]}")))
                .isInstanceOfSatisfying(AlertmanagerNotification.Invalid.class, invalid -> {
                    assertThat(invalid.wrongVersion()).isFalse();
                    assertThat(invalid.errors()).containsExactly(
                            "version: missing; Alertmanager sends \"4\"",
                            "alerts[0].status: must be \"firing\" or \"resolved\"",
                            "alerts[0].labels.a: must be a string",
                            "alerts[0].startsAt: soon is not an RFC 3339 time",
                            "alerts[0].fingerprint: missing; Alertmanager sends one per alert");
                });
    }

    @Test
    void refusesAnotherPayloadVersion() {
        assertThatThrownBy(() -> AlertmanagerNotification.read(MAPPER.readTree("{\"version\":\"5\",\"alerts\":[]}")))
                .isInstanceOfSatisfying(AlertmanagerNotification.Invalid.class,
                        invalid -> assertThat(invalid.wrongVersion()).isTrue());
    }

    @Test
    void aFiringAlertCountsOnlyAgainstTheDigestThatRanWhenItStarted() {
        Instant promotedAt = Instant.parse("2026-03-02T11:00:00Z");

        assertThat(AlertDecision.decide(promotedAt.plusSeconds(60), promotedAt, false))
                .isEqualTo(AlertDecision.Kind.UNHEALTHY);
        assertThat(AlertDecision.decide(promotedAt, promotedAt, false)).isEqualTo(AlertDecision.Kind.UNHEALTHY);
        assertThat(AlertDecision.decide(promotedAt.minusMillis(1), promotedAt, false))
                .as("still firing about the digest just rolled back").isEqualTo(AlertDecision.Kind.STALE);
        assertThat(AlertDecision.decide(promotedAt.plusSeconds(60), promotedAt, true))
                .isEqualTo(AlertDecision.Kind.ALREADY_UNHEALTHY);
    }
}
