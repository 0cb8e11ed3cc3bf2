package dev.promoter.test.suite;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The suite runs recorded so far. */
@ApplicationScoped
class SuiteRunRepository implements PanacheRepository<SuiteRun> {

    /** Up to {@code limit} runs against one artifact with ids below {@code below}, newest first. */
    Uni<List<SuiteRun>> pageOfArtifact(String application, String digest, int limit, long below) {
        return find("application = ?1 and digest = ?2 and id < ?3 order by id desc", application, digest, below)
                .page(0, limit).list();
    }

    /** The attempt number the next run of this suite on this artifact in this stage gets. */
    Uni<Integer> nextAttempt(String application, String digest, String stage, String suite) {
        return count("application = ?1 and digest = ?2 and stage = ?3 and suite = ?4", application, digest, stage, suite)
                .map(runs -> runs.intValue() + 1);
    }
}
