package dev.promoter.test.suite;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Sweeps the pending suite runs: HTTP smoke checks whose turn came and external suites whose deadline passed. The
 * deadlines live in the database, so a restart loses none.
 */
@ApplicationScoped
class DueSuites {

    private static final Logger LOG = Logger.getLogger(DueSuites.class);
    private static final int BATCH = 16;

    private final SuiteRunService suiteRuns;

    DueSuites(SuiteRunService suiteRuns) {
        this.suiteRuns = suiteRuns;
    }

    @Scheduled(every = "${test.pending.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> sweep() {
        return suiteRuns.runDue(BATCH)
                .onFailure().invoke(failure -> LOG.warnf("pending suites not run, will retry at the next sweep: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
