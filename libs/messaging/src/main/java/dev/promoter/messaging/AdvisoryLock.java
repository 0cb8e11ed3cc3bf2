package dev.promoter.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * PostgreSQL transaction-scoped advisory locks, {@code pg_advisory_xact_lock(hashtext(scope), hashtext(key))}:
 * taken inside a transaction, released at its commit or rollback. Services sharing one database serialise work on
 * the same thing by using the same scope and key; the two-key form keeps them apart from one-key locks.
 */
public final class AdvisoryLock {

    private AdvisoryLock() {
    }

    /**
     * Waits for the lock. Sent as an update, not a select, on purpose: Hibernate caches a native select's plan under
     * a key holding a result mapping it builds anew for every call, so each call added an entry to its plan cache, all
     * with one hash, and lookups slowed down as the cache filled (the top frame in the benchmark's profiles).
     */
    public static Uni<Void> take(String scope, String key) {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("select pg_advisory_xact_lock(hashtext(?1), hashtext(?2))")
                        .setParameter(1, scope)
                        .setParameter(2, key)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
