package dev.promoter.messaging;

import io.smallrye.mutiny.Uni;

/**
 * The lock every "move a stage's tag and record it" takes, in the promote and the rollback service alike: a contract
 * between two services, kept in this one class both use. It is a PostgreSQL transaction-scoped advisory lock,
 * {@code pg_advisory_xact_lock(hashtext('stage-tag'), hashtext('<application>/<stage>'))}, so it holds across
 * processes and replicas only because promote and rollback use the same database (their own schemas in it): the
 * services must never be given two databases. Taken inside the transaction that records the move, before the tag is
 * moved, before the service's own application lock, and held until that transaction ends.
 */
public final class StageTagLock {

    static final String SCOPE = "stage-tag";

    private StageTagLock() {
    }

    /** Waits for the stage's tag lock in the current transaction; released at its commit or rollback. */
    public static Uni<Void> take(String application, String stage) {
        return AdvisoryLock.take(SCOPE, key(application, stage));
    }

    /** The lock's second key, {@code <application>/<stage>}. */
    static String key(String application, String stage) {
        return application + "/" + stage;
    }
}
