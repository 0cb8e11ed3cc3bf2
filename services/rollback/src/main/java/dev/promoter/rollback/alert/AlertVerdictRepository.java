package dev.promoter.rollback.alert;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The recorded Alertmanager verdicts per stage. */
@ApplicationScoped
public class AlertVerdictRepository {

    /** One recorded verdict; {@code id} is its place in the stage's list (the {@code before} of paging). */
    public record Row(long id, String digest, String status, String alertname, String fingerprint, Instant startsAt,
                      Instant receivedAt, String outcome, String evidence) {
    }

    /**
     * Records the verdict unless this alert episode (fingerprint + startsAt) was already recorded with this status;
     * returns whether it was new. Needs a transaction.
     */
    public Uni<Boolean> record(String application, String stage, String digest, long deploymentId,
                               AlertmanagerNotification.Alert alert, Instant receivedAt, String outcome,
                               String evidence) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into alert_verdict (application, stage, digest, deployment_id, status, alertname,
                            fingerprint, starts_at, received_at, outcome, evidence)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                        on conflict (application, stage, fingerprint, starts_at, status) do nothing""")
                .setParameter(1, application).setParameter(2, stage).setParameter(3, digest)
                .setParameter(4, deploymentId).setParameter(5, alert.status()).setParameter(6, alert.alertname())
                .setParameter(7, alert.fingerprint()).setParameter(8, alert.startsAt()).setParameter(9, receivedAt)
                .setParameter(10, outcome).setParameter(11, evidence)
                .executeUpdate()).map(inserted -> inserted > 0);
    }

    /** Whether this alert episode was already recorded with this status. Needs a session. */
    public Uni<Boolean> known(String application, String stage, AlertmanagerNotification.Alert alert) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select count(*) from alert_verdict where application = ?1 and stage = ?2 and fingerprint = ?3
                            and starts_at = ?4 and status = ?5""", Long.class)
                .setParameter(1, application).setParameter(2, stage).setParameter(3, alert.fingerprint())
                .setParameter(4, alert.startsAt()).setParameter(5, alert.status())
                .getSingleResult()).map(count -> count > 0);
    }

    /** Up to {@code limit} of the stage's alert verdicts with ids below {@code below}, newest first. Needs a session. */
    public Uni<List<Row>> ofStage(String application, String stage, int limit, long below) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select id, digest, status, alertname, fingerprint, starts_at, received_at, outcome, evidence
                        from alert_verdict where application = ?1 and stage = ?2 and id < ?3 order by id desc
                        limit ?4""", Object[].class)
                .setParameter(1, application).setParameter(2, stage).setParameter(3, below).setParameter(4, limit)
                .getResultList()).map(rows -> rows.stream().map(r -> new Row(((Number) r[0]).longValue(),
                (String) r[1], (String) r[2], (String) r[3], (String) r[4], instant(r[5]), instant(r[6]),
                (String) r[7], (String) r[8])).toList());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return value == null ? null : Instant.parse(value.toString());
    }
}
