package dev.promoter.test.suite;

import dev.promoter.kit.outbound.OutboundConfig;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.kit.health.Failures;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.messaging.Hops;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Traces;
import dev.promoter.messaging.Transactions;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import dev.promoter.oci.ImageInfo;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs the suites a stage declares against the artifact that just entered it, records each run and announces it
 * with {@code testsuiterun.finished}; waits for the suites that cannot finish at once (HTTP smoke checks, results
 * reported from outside); re-runs a suite on request; cancels what an older artifact still waits for when a newer one
 * enters the stage; and answers which runs an artifact had.
 */
@ApplicationScoped
public class SuiteRunService {

    private static final Logger LOG = Logger.getLogger(SuiteRunService.class);
    private static final URI POLICY_SOURCE = URI.create("/promoter/test");

    private final SuiteRunRepository runs;
    private final PendingSuiteRepository pendings;
    private final ArtifactInStageRepository entries;
    private final Outbox outbox;
    private final Transactions transactions;
    private final RegistryClient registry;
    private final ImageInspector inspector;
    private final HttpSmokeCheck smoke;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final Traces traces;
    private final OutgoingCalls calls;

    SuiteRunService(SuiteRunRepository runs, PendingSuiteRepository pendings, ArtifactInStageRepository entries,
                    Outbox outbox, Transactions transactions, RegistryClient registry, MeterRegistry meters,
                    OutboundConfig outbound, Traces traces, OutgoingCalls calls) {
        this.calls = calls;
        this.smoke = HttpSmokeCheck.withDefaults(outbound.urls());
        this.traces = traces;
        this.runs = runs;
        this.pendings = pendings;
        this.entries = entries;
        this.outbox = outbox;
        this.transactions = transactions;
        this.registry = registry;
        this.inspector = new ImageInspector(registry);
        this.meters = meters;
    }

    /**
     * Records that the artifact entered the stage, cancels the runs an older artifact of the stage still waits for,
     * then starts every suite of the stage's policy, in order: image checks run at once, HTTP smoke checks and external
     * suites are left pending. Called only from the consumer, inside the transaction {@code IncomingEvents} opens, so
     * a redelivered promotion starts nothing again and a failure leaves neither rows nor events.
     */
    Uni<Void> runSuites(StageEntry entry, EventContext context) {
        return traces.step("suites " + entry.stage())
                .application(entry.application()).stage(entry.stage()).digest(entry.digest().value())
                .run(() -> startSuites(entry, context));
    }

    private Uni<Void> startSuites(StageEntry entry, EventContext context) {
        Uni<Void> all = remember(entry, context).chain(() -> cancelOlder(entry, context.chainId()));
        List<SuitePolicy> suites = entry.policy().suites();
        if (suites.isEmpty()) {
            LOG.debugf("stage %s of %s declares no suites; nothing to run on %s", entry.stage(), entry.application(),
                    entry.digest().shortForm());
            return all;
        }
        // Read the artifact from the registry at most once per promotion, and only if a suite needs it.
        Uni<Inspection> inspection = inspect(entry).memoize().indefinitely();
        for (SuitePolicy suite : suites) {
            SuiteTarget target = new SuiteTarget(entry, suite, context.chainId());
            all = all.chain(() -> pendings.findPending(entry.application(), entry.stage(), entry.digest().value(),
                            suite.name()))
                    // The artifact entered the stage again while a run of this suite still waits: that run counts.
                    .chain(waiting -> waiting != null ? Uni.createFrom().voidItem()
                            : nextAttempt(target).chain(attempt -> start(target, attempt, suite.retries(), inspection)));
        }
        return all;
    }

    /**
     * Runs one suite of the stage again against the artifact the stage runs now, as the next attempt; its result
     * supersedes the earlier ones.
     *
     * @return the attempt started
     * @throws ProblemException 404 when the stage never ran the artifact or declares no such suite, 409 when the stage
     *                          runs another artifact now or the suite is still running
     */
    public Uni<Integer> rerun(String application, Digest digest, String stage, String suite, String actor) {
        return transactions.inTransaction(() -> entries.current(application, stage).chain(current -> {
            if (current == null) {
                throw ProblemException.notFound("stage " + stage + " of " + application + " has run no artifact yet");
            }
            if (!current.digest.equals(digest.value())) {
                throw new ProblemException(409, "Conflict", "stage " + stage + " of " + application + " runs "
                        + current.digest + " now; only the current artifact's suites can be re-run");
            }
            StageEntry entry = entryOf(current);
            SuitePolicy policy = entry.policy().suites().stream().filter(s -> s.name().equals(suite)).findFirst()
                    .orElseThrow(() -> ProblemException.notFound("stage " + stage + " of " + application
                            + " declares no suite " + suite + "; its suites: " + String.join(", ",
                            entry.policy().suites().stream().map(SuitePolicy::name).toList())));
            SuiteTarget target = new SuiteTarget(entry, policy, current.chainId);
            return pendings.findPending(application, stage, digest.value(), suite).chain(waiting -> {
                if (waiting != null) {
                    throw new ProblemException(409, "Conflict", "suite " + suite + " attempt " + waiting.attempt
                            + " has not finished yet; re-run it once it has");
                }
                LOG.infof("%s re-runs suite %s of %s in stage %s on %s", actor, suite, application, stage,
                        digest.shortForm());
                return nextAttempt(target).call(attempt -> start(target, attempt, policy.retries(),
                        inspect(entry).memoize().indefinitely()));
            });
        }));
    }

    /**
     * Records the result reported from outside for the external suite waiting for it.
     *
     * @param source   {@code junit} or {@code cdevents}: the suite must expect results from there
     * @throws ProblemException 409 when no such suite of the stage waits for a result on this artifact
     */
    public Uni<Integer> report(String application, Digest digest, String stage, String suite, String source,
                               SuiteRunVerdict verdict) {
        return transactions.inTransaction(() -> pendings.findPending(application, stage, digest.value(), suite)
                .chain(waiting -> {
                    if (waiting == null || !SuitePolicy.EXTERNAL.equals(waiting.kind)) {
                        throw new ProblemException(409, "Conflict", "no external suite " + suite + " of stage " + stage
                                + " waits for a result on " + application + " " + digest.value() + "; results are taken"
                                + " while the artifact is in the stage and before the suite's deadline");
                    }
                    if (clock.instant().isAfter(waiting.dueAt)) {
                        throw new ProblemException(409, "Conflict", "the deadline of suite " + suite + " passed at "
                                + waiting.dueAt + "; it fails as timed out, re-run it to report again");
                    }
                    return entries.findEntry(application, stage, digest.value()).chain(row -> {
                        SuiteTarget target = targetOf(row, suite);
                        if (target == null || !source.equals(target.suite().external().source())) {
                            String expected = target == null ? "nothing" : target.suite().external().source();
                            throw new ProblemException(409, "Conflict", "suite " + suite + " of stage " + stage
                                    + " takes its result from " + expected + ", not from " + source);
                        }
                        // Deleted at once, not at flush: a retry inserts the suite's next pending attempt right after.
                        return pendings.remove(waiting).chain(() -> finish(target, waiting.attempt, waiting.retriesLeft,
                                verdict, waiting.startedAt)).replaceWith(waiting.attempt);
                    });
                }));
    }

    /**
     * Runs one pending attempt of a suite that is due (its {@link DueSuites} call came): an HTTP smoke check whose
     * turn came, or an external suite whose deadline passed (failed with "timed out"). Nothing when that attempt is no
     * longer pending (its result came, or a newer artifact cancelled it); a run cancelled while its check ran is not
     * recorded either. Returns what came of it, in words for the call's attempt log.
     */
    Uni<String> runDue(String application, String stage, String digest, String suite, int attempt) {
        return transactions.inTransaction(() -> pendings.findPending(application, stage, digest, suite)
                        .chain(p -> p == null || p.attempt != attempt ? Uni.createFrom().<Due>nullItem()
                                : entries.findEntry(p.application, p.stage, p.digest)
                                        .map(row -> new Due(p, targetOf(row, p.suite)))))
                .chain(due -> due == null
                        ? Uni.createFrom().item("nothing to run: attempt " + attempt + " of suite " + suite
                                + " is no longer pending (its result came, or a newer artifact cancelled it)")
                        : runOne(due));
    }

    /** Up to {@code limit} recorded runs against the artifact with ids below {@code below}, newest first. */
    @WithSession
    public Uni<List<SuiteRun>> runsOf(String application, Digest digest, int limit, long below) {
        return runs.pageOfArtifact(application, digest.value(), limit, below);
    }

    /** The runs of the artifact that started and have not finished. */
    @WithSession
    public Uni<List<PendingSuite>> pendingOf(String application, Digest digest) {
        return pendings.ofArtifact(application, digest.value());
    }

    private Uni<String> runOne(Due due) {
        PendingSuite pending = due.pending();
        SuiteTarget target = due.target();
        if (target == null) {
            // The policy no longer holds the suite: nothing can run it, so it is an error, not a silent drop.
            return recordReleased(pending, null, SuiteRunVerdict.errored("the stage's policy has no suite "
                    + pending.suite + " any more"));
        }
        if (SuitePolicy.EXTERNAL.equals(pending.kind)) {
            SuiteRunVerdict timedOut = SuiteRunVerdict.of(List.of("timed out: no " + target.suite().external().source()
                    + " result within " + describe(target.suite().external().deadline())));
            return recordReleased(pending, target, timedOut);
        }
        if (target.suite().http() == null) {
            return recordReleased(pending, target, SuiteRunVerdict.errored("http-smoke suite " + pending.suite
                    + " carries no request (policy http)"));
        }
        return Blocking.call(() -> smoke.run(target.suite().http(), target.entry().digest()))
                .chain(verdict -> recordReleased(pending, target, verdict));
    }

    private Uni<String> recordReleased(PendingSuite pending, SuiteTarget target, SuiteRunVerdict verdict) {
        String ran = "suite " + pending.suite + " attempt " + pending.attempt + ": ";
        return transactions.inTransaction(() -> pendings.release(pending.id).chain(held -> {
            if (!held) {
                LOG.debugf("suite %s attempt %d of %s was cancelled while it ran; its result is dropped",
                        pending.suite, pending.attempt, pending.application);
                return Uni.createFrom().item(ran + "cancelled while it ran; its result is dropped");
            }
            String outcome = ran + verdict.outcome().wireValue() + (verdict.reason() == null ? "" : " — " + verdict.reason());
            if (target == null) {
                return record(orphanTarget(pending), pending.attempt, verdict, pending.startedAt).replaceWith(outcome);
            }
            return finish(target, pending.attempt, pending.retriesLeft, verdict, pending.startedAt).replaceWith(outcome);
        }));
    }

    /** Keeps the run pending and queues its call: due now, or at {@code due} (an external suite's deadline). */
    private Uni<Void> pend(PendingSuite pending) {
        return pendings.persist(pending).chain(() -> calls.enqueue(DueSuites.call(pending), pending.dueAt));
    }

    private Uni<Void> start(SuiteTarget target, int attempt, int retriesLeft, Uni<Inspection> inspection) {
        Instant startedAt = clock.instant();
        SuitePolicy suite = target.suite();
        switch (suite.kind()) {
            case SuitePolicy.IMAGE_CHECKS:
                return inspection.map(read -> read.fault() != null
                                ? SuiteRunVerdict.errored(read.fault())
                                : ImageChecks.evaluate(suite, read.image()))
                        .chain(verdict -> finish(target, attempt, retriesLeft, verdict, startedAt));
            case SuitePolicy.HTTP_SMOKE:
                if (suite.http() == null) {
                    return finish(target, attempt, 0, SuiteRunVerdict.errored("http-smoke suite " + suite.name()
                            + " carries no request (policy http)"), startedAt);
                }
                return pend(PendingSuite.of(target, attempt, retriesLeft, startedAt, startedAt));
            case SuitePolicy.EXTERNAL:
                if (suite.external() == null) {
                    return finish(target, attempt, 0, SuiteRunVerdict.errored("external suite " + suite.name()
                            + " names no source and deadline (policy external)"), startedAt);
                }
                return pend(PendingSuite.of(target, attempt, retriesLeft, startedAt,
                        startedAt.plus(suite.external().deadline())));
            default:
                return finish(target, attempt, 0, SuiteRunVerdict.unknownKind(suite.kind()), startedAt);
        }
    }

    /**
     * Records the run and, when it failed or errored and the suite's explicit flaky tolerance is not used up, starts
     * the next attempt. The failed attempt stays on record: a flaky suite is visible, never hidden.
     */
    private Uni<Void> finish(SuiteTarget target, int attempt, int retriesLeft, SuiteRunVerdict verdict,
                             Instant startedAt) {
        Uni<Void> recorded = record(target, attempt, verdict, startedAt);
        boolean retry = retriesLeft > 0
                && (verdict.outcome() == Outcome.FAILURE || verdict.outcome() == Outcome.ERROR);
        if (!retry) {
            return recorded;
        }
        return recorded.chain(() -> start(target, attempt + 1, retriesLeft - 1,
                inspect(target.entry()).memoize().indefinitely()));
    }

    private Uni<Void> record(SuiteTarget target, int attempt, SuiteRunVerdict verdict, Instant startedAt) {
        StageEntry entry = target.entry();
        SuiteRun run = SuiteRun.finished(target, attempt, verdict, startedAt, clock.instant());
        TestSuiteRunFinished finished = new TestSuiteRunFinished(entry.application(), entry.digest(), entry.stage(),
                target.suite().name(), attempt, verdict.outcome(), verdict.reason());
        return runs.persist(run)
                .chain(() -> outbox.append(finished, target.chainId()))
                .invoke(() -> {
                    meters.counter("pipeline.suite.runs", "kind", target.suite().kind(), "outcome",
                            verdict.outcome().wireValue()).increment();
                    // One hop of the journey: the suite's run in the stage (promote times the others).
                    Hops.record(meters, "suites", entry.stage(), Duration.between(run.startedAt, run.finishedAt));
                    LOG.infof("suite %s (attempt %d) of %s in stage %s on %s: %s%s", target.suite().name(), attempt,
                            entry.application(), entry.stage(), entry.digest().shortForm(),
                            verdict.outcome().wireValue(), verdict.reason() == null ? "" : " — " + verdict.reason());
                })
                .replaceWithVoid();
    }

    /** Keeps the stage's policy for re-runs and pending runs; a re-entry of the same artifact refreshes it. */
    private Uni<Void> remember(StageEntry entry, EventContext context) {
        byte[] policy = CdEventCodec.encode(new ServiceDeployed(entry.application(), entry.repository(),
                entry.stage(), entry.digest(), null, null, null, entry.policy()), new EventContext(
                context.id(), POLICY_SOURCE, context.timestamp(), context.chainId()));
        return entries.findEntry(entry.application(), entry.stage(), entry.digest().value()).chain(known -> {
            ArtifactInStage row = known != null ? known : new ArtifactInStage();
            row.application = entry.application();
            row.stage = entry.stage();
            row.digest = entry.digest().value();
            row.repository = entry.repository();
            row.policyEvent = policy;
            row.chainId = context.chainId();
            row.enteredAt = clock.instant();
            return entries.persist(row).replaceWithVoid();
        });
    }

    /** A newer artifact entered the stage: what the older ones still wait for ends as {@code cancel}. */
    private Uni<Void> cancelOlder(StageEntry entry, String chainId) {
        return pendings.ofOtherDigests(entry.application(), entry.stage(), entry.digest().value()).chain(older -> {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (PendingSuite pending : older) {
                all = all.chain(() -> entries.findEntry(pending.application, pending.stage, pending.digest)
                        .chain(row -> {
                            SuiteTarget target = targetOf(row, pending.suite);
                            SuiteRunVerdict cancelled = new SuiteRunVerdict(Outcome.CANCEL, List.of(), "cancelled: "
                                    + entry.digest().value() + " entered stage " + entry.stage());
                            return pendings.remove(pending).chain(() -> record(
                                    target != null ? target : orphanTarget(pending), pending.attempt, cancelled,
                                    pending.startedAt));
                        }));
            }
            return all;
        });
    }

    private Uni<Integer> nextAttempt(SuiteTarget target) {
        StageEntry entry = target.entry();
        return runs.nextAttempt(entry.application(), entry.digest().value(), entry.stage(), target.suite().name());
    }

    private static StageEntry entryOf(ArtifactInStage row) {
        ServiceDeployed event = (ServiceDeployed) CdEventCodec.decode(row.policyEvent).event();
        return StageEntry.of(event);
    }

    private static SuiteTarget targetOf(ArtifactInStage row, String suite) {
        if (row == null) {
            return null;
        }
        StageEntry entry = entryOf(row);
        return entry.policy().suites().stream().filter(s -> s.name().equals(suite)).findFirst()
                .map(policy -> new SuiteTarget(entry, policy, row.chainId)).orElse(null);
    }

    // A run whose policy is gone is still recorded under its name and kind.
    private static SuiteTarget orphanTarget(PendingSuite pending) {
        SuitePolicy suite = new SuitePolicy(pending.suite, pending.kind, List.of(), false, 1);
        StageEntry entry = new StageEntry(pending.application, "unknown/unknown", pending.stage,
                Digest.parse(pending.digest), new StagePolicy(List.of(suite), null));
        return new SuiteTarget(entry, suite, null);
    }

    private static String describe(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * Reads the artifact's manifest and configs. A registry that does not have the artifact, or refuses it, is a
     * technical fault of the run (ERROR with the registry's message), not a verdict on it. A registry that cannot be
     * reached (down, 5xx, 429, timing out) is neither: the failure goes up and the run waits for it to come back.
     */
    private Uni<Inspection> inspect(StageEntry entry) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(entry.repository());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Inspection.failed(e.getMessage()));
        }
        if (!reference.registry().equals(registry.registry())) {
            return Uni.createFrom().item(Inspection.failed("repository " + entry.repository()
                    + " is not in the registry this service reads (" + registry.registry() + ")"));
        }
        return Blocking.call(() -> inspector.inspect(reference.repository(), entry.digest().value()))
                .map(Inspection::of)
                .onFailure(failure -> failure instanceof RegistryException && !Failures.classify(failure).isTransient())
                .recoverWithItem(failure -> Inspection.failed(failure.getMessage()));
    }

    /** A due pending run and what it runs; {@code target} null when the stage's policy lost the suite. */
    private record Due(PendingSuite pending, SuiteTarget target) {
    }

    /** The artifact as the registry described it, or why it could not be read. */
    private record Inspection(ImageInfo image, String fault) {

        static Inspection of(ImageInfo image) {
            return new Inspection(image, null);
        }

        static Inspection failed(String fault) {
            return new Inspection(null, fault);
        }
    }
}
