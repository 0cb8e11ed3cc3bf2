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
     * another replica locked are skipped rather than waited for. A run is due only when no run of the same digest
     * (in any stage) that started before it is still there, an external suite waiting for its result aside: one digest's
     * checks run one after the other, in the order they started, while other digests' run beside them. Must run inside
     * a transaction.
     */
    Uni<List<PendingSuite>> claimDue(Instant now, String claim, Instant until, int limit, int perStage) {
        // The inner query picks the eligible runs, at most perStage of each stage (so that one stage's backlog does
        // not fill every batch); the outer one locks them, checking again what it locks.
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "update pending_suite set claim = ?1, claimed_until = ?2 where id in (select q.id from"
                                + " pending_suite q where q.due_at <= ?3 and (q.claimed_until is null"
                                + " or q.claimed_until < ?3) and q.id in (select r.id from (select p.id, row_number()"
                                + " over (partition by p.stage order by p.due_at, p.id) as n from pending_suite p"
                                + " where p.due_at <= ?3 and (p.claimed_until is null or p.claimed_until < ?3)"
                                + " and not exists (select 1 from pending_suite e where e.application = p.application"
                                + " and e.digest = p.digest and e.id < p.id and e.kind <> 'external')) r"
                                + " where r.n <= ?5) order by q.due_at, q.id limit ?4 for update skip locked)")
                .setParameter(1, claim)
                .setParameter(2, until)
                .setParameter(3, now)
                .setParameter(4, limit)
                .setParameter(5, perStage)
                .executeUpdate())
                .chain(() -> list("claim = ?1 order by dueAt, id", claim));
    }

    /** Gives the claimed runs back, to be claimed again from {@code after} on. */
    Uni<Void> unclaim(String claim, List<Long> ids, Instant after) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return update("claim = null, claimedUntil = ?1 where claim = ?2 and id in ?3", after, claim, ids)
                .replaceWithVoid();
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
