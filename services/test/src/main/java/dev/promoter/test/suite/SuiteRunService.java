package dev.promoter.test.suite;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.kit.Blocking;
import dev.promoter.messaging.Outbox;
import dev.promoter.oci.ImageInfo;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs the suites a stage declares against the artifact that just entered it, records each run and
 * announces it with {@code testsuiterun.finished}; and answers which runs an artifact had.
 */
@ApplicationScoped
public class SuiteRunService {

    private static final Logger LOG = Logger.getLogger(SuiteRunService.class);

    private final SuiteRunRepository runs;
    private final Outbox outbox;
    private final RegistryClient registry;
    private final ImageInspector inspector;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    SuiteRunService(SuiteRunRepository runs, Outbox outbox, RegistryClient registry, MeterRegistry meters) {
        this.runs = runs;
        this.outbox = outbox;
        this.registry = registry;
        this.inspector = new ImageInspector(registry);
        this.meters = meters;
    }

    /**
     * Runs every suite of the stage's policy, in order, writing one {@code suite_run} row and one
     * outgoing {@code testsuiterun.finished} per suite. Called only from the consumer, inside the
     * transaction {@code IncomingEvents} opens, so a redelivered promotion runs nothing again and a
     * failure leaves neither rows nor events.
     */
    Uni<Void> runSuites(StageEntry entry, EventContext context) {
        List<SuitePolicy> suites = entry.policy().suites();
        if (suites.isEmpty()) {
            LOG.debugf("stage %s of %s declares no suites; nothing to run on %s", entry.stage(), entry.application(),
                    entry.digest().shortForm());
            return Uni.createFrom().voidItem();
        }
        // Read the artifact from the registry at most once per promotion, and only if a suite needs it.
        Uni<Inspection> inspection = inspect(entry).memoize().indefinitely();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (SuitePolicy suite : suites) {
            all = all.chain(() -> run(entry, suite, inspection, context));
        }
        return all;
    }

    /** Every recorded run against the artifact, in the order they finished. */
    @WithSession
    public Uni<List<SuiteRun>> runsOf(String application, Digest digest) {
        return runs.ofArtifact(application, digest.value());
    }

    private Uni<Void> run(StageEntry entry, SuitePolicy suite, Uni<Inspection> inspection, EventContext context) {
        Instant startedAt = clock.instant();
        Uni<SuiteVerdict> verdict = ImageChecks.runs(suite)
                ? inspection.map(read -> read.fault() != null
                        ? SuiteVerdict.errored(read.fault())
                        : ImageChecks.evaluate(suite, read.image()))
                : Uni.createFrom().item(SuiteVerdict.unknownKind(suite.kind()));
        return verdict.chain(decided -> runs.nextAttempt(entry.application(), entry.digest().value(), entry.stage(),
                        suite.name())
                .chain(attempt -> record(entry, suite, attempt, decided, startedAt, context)));
    }

    private Uni<Void> record(StageEntry entry, SuitePolicy suite, int attempt, SuiteVerdict verdict, Instant startedAt,
                             EventContext context) {
        SuiteRun run = SuiteRun.finished(entry, suite.name(), attempt, verdict, startedAt, clock.instant());
        TestSuiteRunFinished finished = new TestSuiteRunFinished(entry.application(), entry.digest(), entry.stage(),
                suite.name(), attempt, verdict.outcome(), verdict.reason());
        return runs.persist(run)
                .chain(() -> outbox.append(finished, context.chainId()))
                .invoke(() -> {
                    meters.counter("pipeline.suite.runs", "kind", suite.kind(), "outcome",
                            verdict.outcome().wireValue()).increment();
                    LOG.infof("suite %s (attempt %d) of %s in stage %s on %s: %s%s", suite.name(), attempt,
                            entry.application(), entry.stage(), entry.digest().shortForm(),
                            verdict.outcome().wireValue(), verdict.reason() == null ? "" : " — " + verdict.reason());
                })
                .replaceWithVoid();
    }

    /**
     * Reads the artifact's manifest and configs. A registry that does not answer, or does not have the
     * artifact, is a technical fault of the run (ERROR with the registry's message), not a verdict on it.
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
                .onFailure(RegistryException.class).recoverWithItem(failure -> Inspection.failed(failure.getMessage()));
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
