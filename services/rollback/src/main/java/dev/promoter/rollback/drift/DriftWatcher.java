package dev.promoter.rollback.drift;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.DriftPolicy;
import dev.promoter.contracts.StageDrifted;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Transactions;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import dev.promoter.rollback.config.RollbackConfig;
import dev.promoter.messaging.Contexts;
import dev.promoter.rollback.history.ApplicationLock;
import dev.promoter.rollback.history.Stage;
import dev.promoter.rollback.history.StageRepository;
import dev.promoter.messaging.StageTagLock;
import dev.promoter.rollback.outgoing.Notices;
import dev.promoter.rollback.outgoing.StageCalls;
import dev.promoter.rollback.ownership.PromotionPartitions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Checks every stage's registry tag against the stage's recorded current digest, every
 * {@code rollback.drift.check-interval} and after every promotion it hears. A mismatch confirmed by a later check
 * ({@link DriftDecision}) is recorded, announced ({@code promoter-stage.drifted}, Slack) and, when the stage's policy
 * says {@code drift: restore}, undone by moving the tag back — all under the application's lock, after asking the
 * registry once more, so a move this service is recording at that moment is never taken for drift.
 */
@ApplicationScoped
public class DriftWatcher {

    private static final Logger LOG = Logger.getLogger(DriftWatcher.class);

    private final Vertx vertx;
    private final Transactions transactions;
    private final StageRepository stages;
    private final DriftRepository drifts;
    private final RegistryClient registry;
    private final Outbox outbox;
    private final StageCalls calls;
    private final Duration checkInterval;
    private final Duration confirmAfter;
    private final Map<String, DriftDecision.Sighting> sightings = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long timerId = -1;
    private final MeterRegistry meters;
    private final PromotionPartitions partitions;

    DriftWatcher(Vertx vertx, Transactions transactions, StageRepository stages, DriftRepository drifts,
                 RegistryClient registry, Outbox outbox, StageCalls calls, RollbackConfig config,
                 MeterRegistry meters, PromotionPartitions partitions) {
        this.meters = meters;
        this.partitions = partitions;
        this.vertx = vertx;
        this.transactions = transactions;
        this.stages = stages;
        this.drifts = drifts;
        this.registry = registry;
        this.outbox = outbox;
        this.calls = calls;
        this.checkInterval = config.drift().checkInterval();
        this.confirmAfter = config.drift().confirmAfter();
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(checkInterval.toMillis(), id -> checkAll());
    }

    @PreDestroy
    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Checks one stage shortly, e.g. right after a move was recorded. */
    public void checkSoon(String application, String stage) {
        vertx.setTimer(200, id -> Contexts.onFreshContext(vertx, () -> Panache.withSession(() ->
                        stages.find(application, stage)).chain(found -> found == null ? Uni.createFrom().voidItem()
                        : check(Snapshot.of(found))))
                .subscribe().with(ignored -> { }, failure -> LOG.warnf("could not check %s/%s for drift: %s",
                        application, stage, failure.toString())));
    }

    /**
     * Checks every stage of the applications this replica owns (PromotionPartitions) once, one after the other; a sweep
     * still running makes this one a no-op. What was seen of another replica's stages is forgotten: a mismatch there
     * is confirmed by that replica's own two checks.
     */
    void checkAll() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        sightings.keySet().removeIf(key -> !partitions.owns(key.substring(0, key.lastIndexOf('/'))));
        Contexts.onFreshContext(vertx, () -> Panache.withSession(() -> stages.listAll())
                        .map(all -> all.stream().filter(stage -> partitions.owns(stage.application))
                                .map(Snapshot::of).toList())
                        .chain(this::checkEach))
                .subscribe().with(ignored -> sweeping.set(false), failure -> {
                    sweeping.set(false);
                    LOG.warnf("could not check the stages for drift: %s; trying again in %d ms", failure.toString(),
                            checkInterval.toMillis());
                });
    }

    private Uni<Void> checkEach(List<Snapshot> all) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Snapshot snapshot : all) {
            chain = chain.chain(() -> check(snapshot).onFailure().recoverWithItem(failure -> {
                LOG.warnf("could not check %s/%s for drift: %s", snapshot.application(), snapshot.stage(),
                        failure.toString());
                return null;
            }));
        }
        return chain;
    }

    /** What a check needs of a stage, read before the registry is asked. */
    record Snapshot(String application, String stage, String repository, String currentDigest, long deploymentId) {

        static Snapshot of(Stage stage) {
            return new Snapshot(stage.application, stage.stage, stage.repository, stage.currentDigest,
                    stage.currentDeploymentId);
        }

        String key() {
            return application + "/" + stage;
        }
    }

    Uni<Void> check(Snapshot snapshot) {
        return tag(snapshot.repository(), snapshot.stage()).chain(found -> {
            DriftDecision.Result result = DriftDecision.check(sightings.get(snapshot.key()), snapshot.deploymentId(),
                    snapshot.currentDigest(), found, Instant.now(), confirmAfter);
            if (result.sighting() == null) {
                sightings.remove(snapshot.key());
            } else {
                sightings.put(snapshot.key(), result.sighting());
            }
            if (result.kind() == DriftDecision.Kind.FIRST_SEEN) {
                LOG.debugf("%s: tag points at %s, history says %s; checking again before calling it drift",
                        snapshot.key(), found, snapshot.currentDigest());
            }
            return result.kind() == DriftDecision.Kind.CONFIRMED ? confirm(snapshot, result.sighting())
                    : Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> confirm(Snapshot snapshot, DriftDecision.Sighting sighting) {
        String application = snapshot.application();
        return transactions.inTransaction(() -> StageTagLock.take(application, snapshot.stage())
                .chain(() -> ApplicationLock.take(application))
                .chain(() -> stages.find(application, snapshot.stage()))
                .chain(stage -> stage == null || stage.currentDeploymentId != sighting.deploymentId()
                        ? Uni.createFrom().voidItem()
                        // Asked again under the stage's tag lock: a move being recorded now is not drift.
                        : tag(stage.repository, stage.stage).chain(found -> !Objects.equals(found, sighting.found())
                                ? Uni.createFrom().voidItem()
                                : drifts.latest(application, stage.stage).chain(latest -> alreadyReported(latest,
                                        sighting) ? Uni.createFrom().voidItem() : act(stage, sighting)))));
    }

    private static boolean alreadyReported(Drift latest, DriftDecision.Sighting sighting) {
        return latest != null && Drift.REPORTED.equals(latest.action)
                && latest.recordedDeploymentId == sighting.deploymentId()
                && Objects.equals(latest.foundDigest, sighting.found());
    }

    private Uni<Void> act(Stage stage, DriftDecision.Sighting sighting) {
        boolean restore = DriftPolicy.RESTORE.wireValue().equals(stage.drift);
        Uni<Void> restored = restore
                ? Blocking.call(() -> registry.retag(path(stage.repository), stage.currentDigest, stage.stage))
                        .replaceWithVoid()
                : Uni.createFrom().voidItem();
        return restored.chain(() -> {
            Drift drift = new Drift();
            drift.application = stage.application;
            drift.stage = stage.stage;
            drift.recordedDigest = stage.currentDigest;
            drift.recordedDeploymentId = stage.currentDeploymentId;
            drift.foundDigest = sighting.found();
            drift.firstSeenAt = sighting.firstSeenAt();
            drift.confirmedAt = Instant.now();
            drift.action = restore ? Drift.RESTORED : Drift.REPORTED;
            StageDrifted event = new StageDrifted(stage.application, stage.repository, stage.stage,
                    Digest.parse(stage.currentDigest), sighting.found() == null ? null : Digest.parse(sighting.found()),
                    restore);
            LOG.warnf("%s/%s drifted: its tag points at %s, its history says %s%s", stage.application, stage.stage,
                    sighting.found() == null ? "nothing" : sighting.found(), stage.currentDigest,
                    restore ? "; tag moved back" : "; reported only");
            // A restore moves the tag back to what the runtime was last told to run, but the runtime may have
            // restarted on the hand-moved tag meanwhile: it is told again, with the drift event (its subject is the
            // recorded digest).
            return drifts.persist(drift)
                    .invoke(() -> meters.counter("pipeline.drifts", "application", stage.application, "stage",
                            stage.stage).increment())
                    .chain(() -> outbox.append(event, java.util.UUID.randomUUID().toString()))
                    .call(context -> restore ? calls.deployHook(stage, event, context, stage.currentDigest)
                            : Uni.createFrom().voidItem())
                    .chain(() -> calls.slack(stage, stage.currentDigest, Notices.drift(stage, sighting.found(),
                            restore)))
                    .invoke(() -> {
                        if (restore) {
                            sightings.remove(stage.application + "/" + stage.stage);
                        }
                    });
        });
    }

    private Uni<String> tag(String repository, String stage) {
        return Blocking.call(() -> registry.head(path(repository), stage).map(ManifestRef::digest).orElse(null));
    }

    private static String path(String repository) {
        return ImageReference.parse(repository).repository();
    }
}
