package dev.promoter.rollback.alert;

import java.time.Instant;

/**
 * What one firing alert means for the stage it names. An alert counts against the digest the stage ran when the alert
 * started: one that started before the current digest entered the stage is about an earlier digest — typically the one
 * just rolled back, whose alert keeps firing (and is re-sent every {@code repeat_interval}) until Prometheus sees it
 * resolve — and must not roll the stage back a second time.
 */
public final class AlertDecision {

    /** The outcome of the decision. */
    public enum Kind {
        /** The alert is a failed verdict on the stage's current digest. */
        UNHEALTHY,
        /** The alert started before the current digest entered the stage: it is about an earlier one. */
        STALE,
        /** The current digest was already found unhealthy (held, or being rolled back): nothing more to do. */
        ALREADY_UNHEALTHY
    }

    private AlertDecision() {
    }

    /**
     * @param startsAt          when the alert started firing
     * @param promotedAt        when the stage's current digest entered it
     * @param currentUnhealthy  whether the current digest was already found unhealthy
     */
    public static Kind decide(Instant startsAt, Instant promotedAt, boolean currentUnhealthy) {
        if (startsAt.isBefore(promotedAt)) {
            return Kind.STALE;
        }
        return currentUnhealthy ? Kind.ALREADY_UNHEALTHY : Kind.UNHEALTHY;
    }
}
