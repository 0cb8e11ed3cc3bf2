package dev.promoter.rollback.history;

import dev.promoter.messaging.AdvisoryLock;
import io.smallrye.mutiny.Uni;

/**
 * Serialises the changes of one application inside the current transaction: promotions consumed from Kafka
 * and verdicts reached by the prober touch the same stage rows at once.
 */
public final class ApplicationLock {

    private ApplicationLock() {
    }

    /**
     * Takes the application's transaction-scoped advisory lock; released at commit or rollback. The two-key
     * form keeps it apart from the one-key locks of services sharing the database.
     */
    public static Uni<Void> take(String application) {
        return AdvisoryLock.take("rollback", application);
    }
}
