package dev.promoter.test.suite;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The suite runs recorded so far. */
@ApplicationScoped
class SuiteRunRepository implements PanacheRepository<SuiteRun> {

    /** Every run against one artifact, in the order they finished. */
    Uni<List<SuiteRun>> ofArtifact(String application, String digest) {
        return list("application = ?1 and digest = ?2 order by id", application, digest);
    }

    /** The attempt number the next run of this suite on this artifact in this stage gets. */
    Uni<Integer> nextAttempt(String application, String digest, String stage, String suite) {
        return count("application = ?1 and digest = ?2 and stage = ?3 and suite = ?4", application, digest, stage, suite)
                .map(runs -> runs.intValue() + 1);
    }
}
