package dev.promoter.test.suite;

import dev.promoter.messaging.Contexts;
import dev.promoter.test.config.TestConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs the pending suite runs side by side: image checks and HTTP smoke checks as soon as the promotion that started
 * them committed, external suites' deadlines when they pass. At most {@code test.suites.concurrency} runs at once, at
 * most {@code test.suites.concurrency-per-stage} of them in one stage; one digest's runs one after the other (in all its
 * stages), in the order they started (the claim sees to that). Woken by the consumer after each promotion and swept every
 * {@code test.pending.sweep-interval} for what came due meanwhile; the runs live in the database, so a restart loses
 * none.
 */
@ApplicationScoped
class SuiteRunner {

    private static final Logger LOG = Logger.getLogger(SuiteRunner.class);
    /** A run that met an unreachable registry (or database) is given back and tried again after this. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final SuiteRunService suiteRuns;
    private final Vertx vertx;
    private final int concurrency;
    private final int perStage;
    // Guarded by this.
    private final Map<String, Integer> runningPerStage = new HashMap<>();
    private int running;
    private boolean claiming;
    private boolean claimAgain;
    private int mostAtOnce;

    SuiteRunner(SuiteRunService suiteRuns, Vertx vertx, TestConfig config) {
        this.suiteRuns = suiteRuns;
        this.vertx = vertx;
        this.concurrency = config.suites().concurrency();
        this.perStage = config.suites().concurrencyPerStage();
    }

    /** Something may have come due (a promotion committed its runs, a re-run was asked for): claim it now. */
    void wakeUp() {
        synchronized (this) {
            if (claiming) {
                claimAgain = true;
                return;
            }
            if (running >= concurrency) {
                return; // a finishing run claims again
            }
            claiming = true;
        }
        claim();
    }

    @Scheduled(every = "${test.pending.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        wakeUp();
    }

    /** The most runs this replica had at once since it started (for tests and the log). */
    synchronized int mostAtOnce() {
        return mostAtOnce;
    }

    private void claim() {
        int free;
        synchronized (this) {
            free = concurrency - running;
        }
        String claim = UUID.randomUUID().toString();
        Contexts.onFreshContext(vertx, () -> suiteRuns.claimDue(claim, Math.max(free, 0), perStage))
                .subscribe().with(due -> started(claim, due, free), failure -> {
                    LOG.warnf("pending suites not claimed, trying again at the next sweep: %s", failure.getMessage());
                    claimed(false);
                });
    }

    private void started(String claim, List<SuiteRunService.Due> due, int asked) {
        List<Long> over = new ArrayList<>();
        synchronized (this) {
            for (SuiteRunService.Due one : due) {
                String stage = one.pending().stage;
                int inStage = runningPerStage.getOrDefault(stage, 0);
                if (inStage >= perStage || running >= concurrency) {
                    over.add(one.pending().id);
                    continue;
                }
                runningPerStage.put(stage, inStage + 1);
                running++;
                mostAtOnce = Math.max(mostAtOnce, running);
                run(one, claim);
            }
        }
        if (!over.isEmpty()) {
            // Their stage is at its bound: given back at once, claimed again when one of its runs finishes.
            Contexts.onFreshContext(vertx, () -> suiteRuns.unclaim(claim, over, Instant.now()))
                    .subscribe().with(done -> { }, failure -> LOG.warnf("claimed suite runs %s not given back; their"
                            + " claim runs out: %s", over, failure.getMessage()));
        }
        // A full batch may have left more behind; a batch cut short by stage bounds waits for a run to finish.
        claimed(due.size() == asked && asked > 0 && over.isEmpty());
    }

    private void claimed(boolean more) {
        boolean again;
        synchronized (this) {
            again = (claimAgain || more) && running < concurrency;
            claimAgain = false;
            claiming = again;
        }
        if (again) {
            claim();
        }
    }

    private void run(SuiteRunService.Due due, String claim) {
        PendingSuite pending = due.pending();
        Contexts.onFreshContext(vertx, () -> suiteRuns.runOne(due, claim))
                .onFailure().call(failure -> {
                    LOG.warnf("suite %s attempt %d of %s in stage %s on %s not run, trying again in %d s: %s",
                            pending.suite, pending.attempt, pending.application, pending.stage, pending.digest,
                            RETRY_AFTER.toSeconds(), failure.getMessage());
                    return Contexts.onFreshContext(vertx, () -> suiteRuns.unclaim(claim, List.of(pending.id),
                            Instant.now().plus(RETRY_AFTER))).onFailure().recoverWithNull();
                })
                .onFailure().recoverWithNull()
                .subscribe().with(done -> finished(pending.stage));
    }

    private void finished(String stage) {
        synchronized (this) {
            running--;
            runningPerStage.merge(stage, -1, Integer::sum);
            if (runningPerStage.get(stage) <= 0) {
                runningPerStage.remove(stage);
            }
        }
        wakeUp();
    }
}
