package dev.promoter.rollback.history;

import dev.promoter.messaging.AdvisoryLock;
import io.smallrye.mutiny.Uni;

/**
 * Serialises every "move a stage's tag and record it" of one stage across the promote and rollback services, which
 * share one PostgreSQL database: both take this transaction-scoped advisory lock, with the same keys, before they move
 * the tag, and hold it until the move is recorded. Taken before the service's own application lock.
 */
public final class StageTagLock {

    private StageTagLock() {
    }

    /** {@code pg_advisory_xact_lock(hashtext('stage-tag'), hashtext('<application>/<stage>'))}; promote uses the same. */
    public static Uni<Void> take(String application, String stage) {
        return AdvisoryLock.take("stage-tag", application + "/" + stage);
    }
}
