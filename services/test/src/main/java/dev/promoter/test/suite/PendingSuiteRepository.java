package dev.promoter.test.suite;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
     * Removes the run now, by a statement rather than at flush: Hibernate flushes inserts before deletes, and the
     * suite's next attempt may be inserted in the same transaction.
     */
    Uni<Void> remove(PendingSuite pending) {
        return delete("id = ?1", pending.id).replaceWithVoid();
    }

    /** Removes the run; false when it was finished or cancelled meanwhile. */
    Uni<Boolean> release(Long id) {
        return delete("id = ?1", id).map(deleted -> deleted > 0);
    }
}
