package dev.promoter.test.suite;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Suite runs started and not finished yet. */
@ApplicationScoped
class PendingSuiteRepository implements PanacheRepository<PendingSuite> {

    Uni<PendingSuite> findPending(String application, String stage, String digest, String suite) {
        return find("application = ?1 and stage = ?2 and digest = ?3 and suite = ?4", application, stage, digest, suite)
                .firstResult();
    }

    /** The pending runs of the stage against any other digest than {@code digest}: what a newer arrival cancels. */
    Uni<List<PendingSuite>> ofOtherDigests(String application, String stage, String digest) {
        return list("application = ?1 and stage = ?2 and digest <> ?3 order by id", application, stage, digest);
    }

    Uni<List<PendingSuite>> ofArtifact(String application, String digest) {
        return list("application = ?1 and digest = ?2 order by id", application, digest);
    }

    /**
     * Takes up to {@code limit} due runs nobody holds, marking them with {@code claim} until {@code until}; rows
     * another replica locked are skipped rather than waited for. Must run inside a transaction.
     */
    Uni<List<PendingSuite>> claimDue(Instant now, String claim, Instant until, int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "update pending_suite set claim = ?1, claimed_until = ?2 where id in (select id from pending_suite"
                                + " where due_at <= ?3 and (claimed_until is null or claimed_until < ?3)"
                                + " order by due_at limit ?4 for update skip locked)")
                .setParameter(1, claim)
                .setParameter(2, until)
                .setParameter(3, now)
                .setParameter(4, limit)
                .executeUpdate())
                .chain(() -> list("claim = ?1 order by dueAt", claim));
    }

    /**
     * Removes the run now, by a statement rather than at flush: Hibernate flushes inserts before deletes, and the
     * suite's next attempt may be inserted in the same transaction.
     */
    Uni<Void> remove(PendingSuite pending) {
        return delete("id = ?1", pending.id).replaceWithVoid();
    }

    /** Removes the run if {@code claim} still holds it; false when it was finished or cancelled meanwhile. */
    Uni<Boolean> release(Long id, String claim) {
        return delete("id = ?1 and claim = ?2", id, claim).map(deleted -> deleted > 0);
    }
}
