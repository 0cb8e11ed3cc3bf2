package dev.promoter.rollback.rollback;

import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.RollbackHeld;
import dev.promoter.contracts.RollbackTarget;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Transactions;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.Manifest;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import dev.promoter.rollback.health.HealthVerdict;
import dev.promoter.rollback.health.StageVerdicts;
import dev.promoter.rollback.health.WatchedStage;
import dev.promoter.rollback.history.ApplicationLock;
import dev.promoter.rollback.history.CurrentMove;
import dev.promoter.rollback.history.Deployment;
import dev.promoter.rollback.history.DeploymentRepository;
import dev.promoter.rollback.history.QuarantineRepository;
import dev.promoter.rollback.history.Stage;
import dev.promoter.rollback.history.StageRepository;
import dev.promoter.messaging.StageTagLock;
import dev.promoter.rollback.health.WatchedStages;
import dev.promoter.rollback.outgoing.Notices;
import dev.promoter.rollback.outgoing.StageCalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.promoter.messaging.Traces;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Acts on health verdicts: marks a deployment healthy, or moves a failing stage's tag back to its rollback
 * target, quarantines the failing digest and announces both — or, with no target, keeps the digest in place
 * (held), quarantines it and says why.
 *
 * <p>A rollback is one transaction under the stage's tag lock (shared with promote) and the application's lock: it
 * checks that the stage still runs the deployment the verdict is about and that the registry tag still points at it,
 * moves the tag, and records the move, the quarantine and the events. A promotion therefore never interleaves with a
 * rollback: one that was recorded first makes the verdict stale, one whose tag move is not heard of yet makes the
 * verdict wait ({@link TagInFlight}), and one that comes later waits for the lock.
 */
@ApplicationScoped
public class RollbackService implements StageVerdicts {

    private static final Logger LOG = Logger.getLogger(RollbackService.class);
    /** The actor of the rollbacks this service decides on its own, from a health verdict. */
    static final String ACTOR = "rollback";

    private final Transactions transactions;
    private final Outbox outbox;
    private final StageRepository stages;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final RegistryClient registry;
    private final MeterRegistry meters;
    private final Timer reaction;
    private final StageCalls calls;
    private final Traces traces;

    RollbackService(Transactions transactions, Outbox outbox, StageRepository stages, DeploymentRepository deployments,
                    QuarantineRepository quarantines, RegistryClient registry, MeterRegistry meters,
                    StageCalls calls, Traces traces) {
        this.calls = calls;
        this.traces = traces;
        this.transactions = transactions;
        this.outbox = outbox;
        this.stages = stages;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.registry = registry;
        this.meters = meters;
        this.reaction = Timer.builder("pipeline.rollback.reaction")
                .description("from the unhealthy verdict to the stage tag moved back in the registry")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    @Override
    public Uni<Void> healthy(WatchedStage watched, HealthVerdict verdict) {
        // Announced once, in the transaction that records it: promote's soak gate counts from here.
        return transactions.inTransaction(() -> deployments.markHealthy(watched.deploymentId(), verdict.at())
                        .call(marked -> marked ? outbox.append(new ServiceHealthy(watched.application(),
                                watched.repository(), watched.stage(), Digest.parse(watched.digest())), watched.chainId())
                                : Uni.createFrom().nullItem()))
                .invoke(marked -> {
                    if (marked) {
                        LOG.infof("marked %s (%s) healthy in %s at %s", watched.application(), shortForm(watched.digest()),
                                watched.stage(), verdict.at());
                    }
                })
                .replaceWithVoid();
    }

    @Override
    public Uni<Optional<WatchedStage>> unhealthy(WatchedStage watched, HealthVerdict verdict) {
        WatchedStage.Target target = watched.rollbackTarget();
        if (target == null) {
            // The tag is checked as for a rollback: a promotion not heard of yet (e.g. while a replica's stages are
            // being taken over) makes the failures the new digest's, and holding the recorded one would blame it.
            return inStageTransaction(watched, (stage, failing) -> undoing("hold", stage, failing,
                    () -> tagAgrees(stage).chain(() -> hold(stage, failing, verdict)).replaceWith(Outcome.RECORDED)))
                    .invoke(outcome -> {
                        if (!outcome.stale()) {
                            count("held");
                            countInStage("pipeline.holds", watched);
                            countInStage("pipeline.quarantines", watched);
                            LOG.warnf("held %s (%s): %s; verdict at %s: %s; evidence: %s. The stage keeps running it,"
                                            + " quarantined, and is no longer probed until its next promotion",
                                    watched.key(), shortForm(watched.digest()), heldReason(watched.stage()), verdict.at(),
                                    verdict.reason(), verdict.evidence());
                        }
                    })
                    .map(Outcome::nextWatch);
        }
        // The critical path after the verdict is the locks, the check that the tag still points at the recorded digest
        // and the PUT; everything else is before it (the target's manifest is read while the locks are taken, so the
        // PUT sends bytes already in hand) or after it (the history, the quarantine, the events, the next watch).
        Phases phases = new Phases();
        Uni<Manifest> targetManifest = Blocking.call(() -> registry.getManifest(repositoryPath(watched.repository()),
                target.digest())).onFailure().recoverWithNull().memoize().indefinitely();
        targetManifest.subscribe().with(manifest -> { }); // its outcome is read below
        // Under the stage's tag lock (shared with promote), the tag is checked, moved and the move recorded in one
        // transaction: a promotion cannot move the tag in between, and one that already did is noticed. The HEAD of the
        // tag goes out as soon as the locks are held, beside the read of the stage's current move.
        return transactions.inTransaction(() -> StageTagLock.take(watched.application(), watched.stage())
                .chain(() -> ApplicationLock.take(watched.application()))
                .chain(() -> {
                    phases.locked = System.nanoTime();
                    Uni<String> tagNow = Blocking.call(() -> registry.head(repositoryPath(watched.repository()),
                            watched.stage()).map(ManifestRef::digest).orElse(""));
                    // Both finish before either's failure is passed on: the session must not be left mid-query.
                    return Uni.combine().all().unis(tagNow, currentOf(watched)).collectFailures().asTuple();
                })
                .chain(checked -> {
                    phases.checked = System.nanoTime();
                    Now now = checked.getItem2();
                    if (now == null) {
                        return Uni.createFrom().item(Outcome.STALE);
                    }
                    Stage stage = now.stage();
                    Uni<Void> tagChecked;
                    if (stage.repository.equals(watched.repository())) {
                        requireTag(stage, checked.getItem1());
                        tagChecked = Uni.createFrom().voidItem();
                    } else {
                        // A promotion of the same digest moved the stage to another repository: its tag is asked.
                        tagChecked = tagAgrees(stage);
                    }
                    return undoing("rollback", stage, now.failing(), () -> tagChecked.chain(() -> targetManifest)
                            .chain(manifest -> Blocking.call(() -> {
                                String path = repositoryPath(stage.repository);
                                // A full retag when the early read failed, or a promotion of the same digest moved
                                // the stage to another repository meanwhile (the manifest's blobs may not be there).
                                return manifest == null || !stage.repository.equals(watched.repository())
                                        ? registry.retag(path, target.digest(), stage.stage).digest()
                                        : registry.putManifest(path, stage.stage, manifest);
                            }))
                            .chain(retagged -> {
                                Instant movedAt = Instant.now();
                                phases.moved = System.nanoTime();
                                return recordRollback(stage, now.failing(), target, movedAt, verdict)
                                        .invoke(outcome -> {
                                            Duration took = Duration.between(verdict.at(), movedAt);
                                            reaction.record(took);
                                            count("rolled-back");
                                            countInStage("pipeline.rollbacks", watched);
                                            countInStage("pipeline.quarantines", watched);
                                            LOG.warnf("rolled back %s from %s to %s: verdict at %s, tag moved at %s (%d ms"
                                                            + " later; %s); %s; evidence: %s", watched.key(),
                                                    shortForm(watched.digest()), shortForm(target.digest()),
                                                    verdict.at(), movedAt, took.toMillis(), phases, verdict.reason(),
                                                    verdict.evidence());
                                        });
                            }));
                }))
                .map(Outcome::nextWatch);
    }

    /**
     * Where a rollback's time went after the verdict, for its log line: until the transaction began and the locks were
     * held, the tag's HEAD beside the read of the stage, and the PUT.
     */
    private static final class Phases {
        final long began = System.nanoTime();
        volatile long locked;
        volatile long checked;
        volatile long moved;

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "locks %.1f ms, checks %.1f ms, put %.1f ms",
                    (locked - began) / 1e6, (checked - locked) / 1e6, (moved - checked) / 1e6);
        }
    }

    /**
     * What a manual rollback did.
     *
     * @param stage            the stage
     * @param digest           the digest the stage runs now
     * @param rolledBackDigest the digest it left
     * @param next             the stage to watch from now on, with a fresh grace period; empty without health checks
     */
    public record ManualOutcome(String stage, String digest, String rolledBackDigest, Optional<WatchedStage> next) {
    }

    /** Where a manual rollback goes, decided before the tag moves, and the deployment it leaves. */
    private record Plan(String repository, long leavingDeploymentId, String leavingDigest, WatchedStage.Target target) {
    }

    /**
     * An operator rolls the stage back: to its rollback target, or to {@code named}, an earlier digest of its history.
     * The same path as a rollback on a health verdict, so history has one shape: the tag moves first, then one
     * transaction under the application's lock records the move (reason {@code manual rollback by <actor>: <why>})
     * and {@code service.rolledback}. Unlike a health verdict it quarantines nothing: the operator may roll back for
     * reasons that say nothing about the digest left. Fails with {@link RollbackRefused} when nothing was changed.
     */
    public Uni<ManualOutcome> rollBackManually(String application, String stageName, Optional<String> named, String why,
                                               String actor) {
        String reason = "manual rollback by " + actor + ": " + why;
        return Panache.withSession(() -> plan(application, stageName, named))
                .chain(plan -> transactions.inTransaction(() -> StageTagLock.take(application, stageName)
                        .chain(() -> ApplicationLock.take(application))
                        .chain(() -> stages.find(application, stageName))
                        .chain(stage -> stage == null
                                || !Objects.equals(stage.currentDeploymentId, plan.leavingDeploymentId())
                                ? Uni.createFrom().<ManualOutcome>nullItem()
                                : tagAgrees(stage).chain(() -> recordManual(stage, named, plan, reason, actor))))
                        .onFailure(TagInFlight.class).transform(e -> new RollbackRefused(RollbackRefused.Why.MOVED_ON,
                                e.getMessage() + "; nothing was changed, try again shortly")))
                .chain(outcome -> {
                    if (outcome == null) {
                        return Uni.createFrom().failure(new RollbackRefused(RollbackRefused.Why.MOVED_ON,
                                application + " moved on in " + stageName + " while it was being rolled back;"
                                        + " nothing was changed. Check the stage's history and try again"));
                    }
                    count("manual");
                    LOG.warnf("rolled back %s/%s from %s to %s by hand: %s", application, stageName,
                            shortForm(outcome.rolledBackDigest()), shortForm(outcome.digest()), reason);
                    return Uni.createFrom().item(outcome);
                });
    }

    /** Fails with {@link TagInFlight} unless the stage's registry tag points at the digest its history says it runs. */
    private Uni<Void> tagAgrees(Stage stage) {
        return Blocking.call(() -> {
            requireTagAgrees(stage);
            return null;
        });
    }

    /** {@link #tagAgrees} on the caller's (worker) thread: blocks on a HEAD of the tag. */
    private void requireTagAgrees(Stage stage) {
        requireTag(stage, registry.head(repositoryPath(stage.repository), stage.stage).map(ManifestRef::digest)
                .orElse(null));
    }

    /** Fails with {@link TagInFlight} unless {@code tag}, as the registry answered, is the stage's recorded digest. */
    private static void requireTag(Stage stage, String tag) {
        if (tag != null && tag.isEmpty()) {
            tag = null;
        }
        if (!stage.currentDigest.equals(tag)) {
            throw new TagInFlight(stage.application + "/" + stage.stage + ": the registry tag points at "
                    + (tag == null ? "nothing" : shortForm(tag)) + " but the stage runs "
                    + shortForm(stage.currentDigest) + " by its history (a promotion not heard of yet, or drift)");
        }
    }

    private Uni<Plan> plan(String application, String stageName, Optional<String> named) {
        return stages.find(application, stageName).chain(stage -> {
            if (stage == null) {
                return Uni.createFrom().failure(new RollbackRefused(RollbackRefused.Why.UNKNOWN_STAGE,
                        "the rollback service never heard of a promotion of " + application + " into stage "
                                + stageName + "; check both names"));
            }
            return deployments.ofStage(application, stageName).chain(history -> quarantines
                    .digests(application, stageName).map(quarantined -> {
                        ManualRollback.Decision decision = decide(history, quarantined, named);
                        if (decision.refused()) {
                            throw refusal(decision.refusal(), stage, named);
                        }
                        Deployment leaving = history.get(history.size() - 1);
                        return new Plan(stage.repository, leaving.id, leaving.digest,
                                new WatchedStage.Target(decision.digest(), lastChainId(history, decision.digest())));
                    }));
        });
    }

    private Uni<ManualOutcome> recordManual(Stage stage, Optional<String> named, Plan plan, String reason,
                                            String actor) {
        return deployments.ofStage(stage.application, stage.stage).chain(history -> quarantines
                .digests(stage.application, stage.stage).chain(quarantined -> {
                    // Only this service writes the history, under this lock; checked again all the same.
                    ManualRollback.Decision again = decide(history, quarantined, named);
                    if (again.refused() || !again.digest().equals(plan.target().digest())) {
                        return Uni.createFrom().<ManualOutcome>nullItem();
                    }
                    Deployment leaving = history.get(history.size() - 1);
                    return Blocking.call(() -> registry.retag(repositoryPath(stage.repository), plan.target().digest(),
                            stage.stage)).chain(retagged -> recordManualMove(stage, history, quarantined, leaving, plan,
                            reason, actor, Instant.now()));
                }));
    }

    private Uni<ManualOutcome> recordManualMove(Stage stage, List<Deployment> history, Set<String> quarantined,
                                                Deployment leaving, Plan plan, String reason, String actor,
                                                Instant movedAt) {
                    Deployment back = Deployment.rollback(stage.application, stage.stage, plan.target().digest(),
                            leaving.digest, reason, plan.target().chainId(), null, movedAt);
                    back.actor = actor;
                    ServiceRolledBack rolledBack = new ServiceRolledBack(stage.application, stage.repository,
                            stage.stage, Digest.parse(back.digest), Digest.parse(leaving.digest), reason, null);
                    return deployments.persistAndFlush(back)
                            .invoke(() -> stage.runs(back))
                            .chain(() -> outbox.append(rolledBack, leaving.chainId))
                            .call(context -> calls.deployHook(stage, rolledBack, context, back.digest))
                            .call(() -> calls.slack(stage, back.digest, Notices.manualRollback(stage, leaving.digest,
                                    back.digest, actor, reason)))
                            .map(ignored -> {
                                List<Deployment> after = new ArrayList<>(history);
                                after.add(back);
                                return new ManualOutcome(stage.stage, back.digest, leaving.digest,
                                        WatchedStages.watched(stage, after, quarantined));
                            });
    }

    private static ManualRollback.Decision decide(List<Deployment> history, Set<String> quarantined,
                                                  Optional<String> named) {
        return ManualRollback.decide(history.stream()
                .map(d -> new RollbackTarget.Move(d.digest, d.isHealthy())).toList(), quarantined, named);
    }

    private static String lastChainId(List<Deployment> history, String digest) {
        return history.stream().filter(d -> d.digest.equals(digest)).reduce((first, second) -> second)
                .orElseThrow().chainId;
    }

    private static RollbackRefused refusal(ManualRollback.Refusal refusal, Stage stage, Optional<String> named) {
        String where = stage.application + " in stage " + stage.stage;
        return switch (refusal) {
            case NO_TARGET -> new RollbackRefused(RollbackRefused.Why.NO_TARGET, "no earlier digest to go back to: no"
                    + " earlier digest of " + where + " was found healthy there and is not quarantined; name one with"
                    + " 'digest'");
            case CURRENT -> new RollbackRefused(RollbackRefused.Why.CURRENT, named.orElseThrow() + " is the digest "
                    + where + " runs now; name an earlier digest of its history");
            case NEVER_RAN -> new RollbackRefused(RollbackRefused.Why.NEVER_RAN, named.orElseThrow() + " never ran in "
                    + where + "; name an earlier digest of its history (GET .../history)");
            case QUARANTINED -> new RollbackRefused(RollbackRefused.Why.QUARANTINED, named.orElseThrow()
                    + " is quarantined in " + where + "; lift its quarantine first (DELETE .../quarantine/{digest})");
        };
    }

    /**
     * How a verdict ended: stale (the stage had moved on, nothing recorded), or recorded, with the stage to
     * watch next when there is one.
     */
    private record Outcome(boolean stale, WatchedStage next) {

        static final Outcome STALE = new Outcome(true, null);
        static final Outcome RECORDED = new Outcome(false, null);

        Optional<WatchedStage> nextWatch() {
            return Optional.ofNullable(next);
        }
    }

    /**
     * Runs the undoing of the stage's current move in a span of that move's trace (so one trace holds an artifact's
     * journey and its undoing), linked to the move it undoes and to whatever triggered it (an Alertmanager call).
     */
    private <T> Uni<T> undoing(String what, Stage stage, Deployment failing, Supplier<Uni<T>> work) {
        return traces.step(what + " " + stage.stage)
                .parent(Traces.parse(failing.traceparent))
                .link(Traces.spanContextOf(failing.traceparent), "undoes")
                .link(Span.current().getSpanContext(), "triggered-by")
                .application(stage.application).stage(stage.stage).digest(failing.digest)
                .run(work);
    }

    /** What to do with the stage and the deployment found unhealthy, once it is known to be the stage's current one. */
    @FunctionalInterface
    private interface StageWork {
        Uni<Outcome> apply(Stage stage, Deployment failing);
    }

    /** The stage and its current deployment, the one a verdict is about; both managed, the verdict changes them. */
    private record Now(Stage stage, Deployment failing) {
    }

    /**
     * The stage and the deployment the verdict is about, in one read, or null when the stage no longer runs it (a newer
     * promotion was recorded meanwhile): then the verdict is stale and changes nothing. Needs the transaction.
     */
    private Uni<Now> currentOf(WatchedStage watched) {
        return Panache.getSession().chain(session -> session.createSelectionQuery("select s, d from Stage s, Deployment d"
                        + " where s.application = ?1 and s.stage = ?2 and d.id = s.currentDeploymentId", Object[].class)
                .setParameter(1, watched.application())
                .setParameter(2, watched.stage())
                .getSingleResultOrNull())
                .map(row -> {
                    Stage stage = row == null ? null : (Stage) row[0];
                    if (stage == null || !Long.valueOf(watched.deploymentId()).equals(stage.currentDeploymentId)) {
                        count("stale");
                        LOG.infof("unhealthy verdict on %s (%s) dropped: the stage moved on to %s meanwhile",
                                watched.key(), shortForm(watched.digest()),
                                stage == null ? "nothing" : shortForm(stage.currentDigest));
                        return null;
                    }
                    return new Now(stage, (Deployment) row[1]);
                });
    }

    /**
     * Runs {@code work} in one transaction under the stage's tag lock and the application's lock, unless the stage no
     * longer runs the watched deployment: then the verdict is stale and changes nothing.
     */
    private Uni<Outcome> inStageTransaction(WatchedStage watched, StageWork work) {
        return transactions.inTransaction(() -> StageTagLock.take(watched.application(), watched.stage())
                .chain(() -> ApplicationLock.take(watched.application()))
                .chain(() -> currentOf(watched))
                .chain(now -> now == null ? Uni.createFrom().item(Outcome.STALE)
                        : work.apply(now.stage(), now.failing())));
    }

    /**
     * Records a rollback whose tag already moved: the move, the failing digest's verdict and quarantine, the events and
     * calls; then reads the next watch's rollback target from the database (a bounded read, whatever the history).
     */
    private Uni<Outcome> recordRollback(Stage stage, Deployment failing, WatchedStage.Target target, Instant movedAt,
                                        HealthVerdict verdict) {
        Deployment back = Deployment.rollback(stage.application, stage.stage, target.digest(), failing.digest,
                verdict.reason(), target.chainId(), verdict.at(), movedAt);
        back.actor = ACTOR;
        failing.failed(verdict.at(), verdict.evidence());
        ServiceRolledBack rolledBack = new ServiceRolledBack(stage.application, stage.repository, stage.stage,
                Digest.parse(target.digest()), Digest.parse(failing.digest), verdict.reason(), verdict.evidence());
        ArtifactQuarantined quarantinedEvent = new ArtifactQuarantined(stage.application, stage.repository, stage.stage,
                Digest.parse(failing.digest), verdict.reason());
        return deployments.persistAndFlush(back)
                .invoke(() -> stage.runs(back))
                .chain(() -> quarantines.quarantine(stage.application, stage.stage, failing.digest, verdict.reason(),
                        verdict.at()))
                .chain(() -> outbox.append(rolledBack, failing.chainId))
                .call(context -> calls.deployHook(stage, rolledBack, context, back.digest))
                .call(() -> calls.slack(stage, back.digest, Notices.rollback(stage, failing.digest, back.digest,
                        verdict)))
                .chain(() -> outbox.append(quarantinedEvent, failing.chainId))
                // The next target is chosen by the database: it must see the quarantine and the verdict first.
                .chain(() -> Panache.getSession().chain(session -> session.flush()))
                .chain(() -> deployments.rollbackTarget(stage.application, stage.stage, back.digest))
                // Empty when a promotion of the same digest took the health checks away meanwhile.
                .map(next -> new Outcome(false, WatchedStages.watched(stage, CurrentMove.of(back), next).orElse(null)));
    }

    private Uni<Void> hold(Stage stage, Deployment failing, HealthVerdict verdict) {
        failing.held(verdict.at(), verdict.evidence(), heldReason(stage.stage));
        ArtifactQuarantined quarantinedEvent = new ArtifactQuarantined(stage.application, stage.repository, stage.stage,
                Digest.parse(failing.digest), verdict.reason());
        return quarantines.quarantine(stage.application, stage.stage, failing.digest, verdict.reason(), verdict.at())
                .chain(() -> outbox.append(quarantinedEvent, failing.chainId))
                .chain(() -> outbox.append(new RollbackHeld(stage.application, stage.repository, stage.stage,
                        Digest.parse(failing.digest), heldReason(stage.stage), verdict.evidence()), failing.chainId))
                .chain(() -> calls.slack(stage, failing.digest, Notices.held(stage, failing.digest,
                        heldReason(stage.stage), verdict)))
                .replaceWithVoid();
    }

    private static String heldReason(String stage) {
        return "no earlier digest was healthy in " + stage;
    }

    private void countInStage(String name, WatchedStage watched) {
        meters.counter(name, "application", watched.application(), "stage", watched.stage()).increment();
    }

    private void count(String outcome) {
        meters.counter("pipeline.rollback.verdicts", "outcome", outcome).increment();
    }

    private static String repositoryPath(String repository) {
        return ImageReference.parse(repository).repository();
    }

    private static String shortForm(String digest) {
        return digest.startsWith("sha256:") && digest.length() >= 19 ? digest.substring(7, 19) : digest;
    }
}
