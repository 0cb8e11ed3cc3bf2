package dev.promoter.promote.promotion;

import dev.promoter.promote.artifact.ReceivedArtifact;
import dev.promoter.promote.artifact.ReceivedArtifacts;
import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.messaging.AdvisoryLock;
import dev.promoter.messaging.Traces;
import dev.promoter.promote.dora.StageSignals;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.history.Deployment;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.history.Quarantine;
import dev.promoter.promote.history.QuarantineRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The triggers that come from topics: each one records what it heard and hands the promotions it concerns to the
 * {@link PromotionExecutor}, in one transaction per event. A new artifact arrives at the first stage; a suite result
 * may pass the digest on; a health verdict starts a soak; a quarantine put or lifted changes a gate; a rollback is
 * recorded in the history. Called only from the consumers, inside the transaction {@code IncomingEvents} opens.
 */
@ApplicationScoped
public class PromotionService {

    private static final Logger LOG = Logger.getLogger(PromotionService.class);

    private final DefinitionService definitions;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final ReceivedArtifacts artifacts;
    private final PromotionRepositories.SuiteResults suiteResults;
    private final GateRepositories.Requests requests;
    private final GateRepositories.Health health;
    private final PromotionExecutor executor;
    private final StageSignals signals;

    PromotionService(DefinitionService definitions, DeploymentRepository deployments, QuarantineRepository quarantines,
                     ReceivedArtifacts artifacts, PromotionRepositories.SuiteResults suiteResults,
                     GateRepositories.Requests requests, GateRepositories.Health health, PromotionExecutor executor,
                     StageSignals signals) {
        this.definitions = definitions;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.artifacts = artifacts;
        this.suiteResults = suiteResults;
        this.requests = requests;
        this.health = health;
        this.executor = executor;
        this.signals = signals;
    }

    Uni<Void> onArtifactPublished(ArtifactPublished event, EventContext context) {
        return lockApplication(event.application())
                .chain(() -> artifacts.find(event.application(), event.digest().value()))
                .chain(known -> definitions.find(event.application()).chain(definition -> {
                    String note = notMovingBecause(event, definition);
                    // The same digest reported again (another source, a replay) is recorded once.
                    Uni<Void> recorded = known != null ? Uni.createFrom().voidItem()
                            : artifacts.persist(received(event, context, note)).replaceWithVoid();
                    if (note != null) {
                        LOG.infof("artifact %s of %s not promoted: %s", event.digest().shortForm(), event.application(), note);
                        return recorded;
                    }
                    return recorded.chain(() -> executor.run(definition, new PromotionExecutor.Arrive(
                            definition.firstStage(), event.digest(),
                            "new artifact" + (event.commit() == null ? "" : " of commit " + event.commit()),
                            context.chainId())));
                }));
    }

    private static String notMovingBecause(ArtifactPublished event, PipelineDefinition definition) {
        if (definition == null) {
            return "no pipeline definition for " + event.application()
                    + "; PUT /api/v1/applications/" + event.application() + "/pipeline to define one";
        }
        if (!definition.repository().equals(event.repository())) {
            return "built in " + event.repository() + " but the pipeline definition names " + definition.repository();
        }
        return null;
    }

    private static ReceivedArtifact received(ArtifactPublished event, EventContext context, String note) {
        ReceivedArtifact artifact = new ReceivedArtifact();
        artifact.application = event.application();
        artifact.digest = event.digest().value();
        artifact.repository = event.repository();
        artifact.commitId = event.commit();
        artifact.buildUrl = event.buildUrl();
        artifact.author = event.author();
        artifact.chainId = context.chainId();
        artifact.receivedAt = context.timestamp();
        artifact.note = note;
        artifact.traceparent = Traces.currentTraceparent();
        artifact.commitTime = event.commitTime();
        return artifact;
    }

    Uni<Void> onTestSuiteRunFinished(TestSuiteRunFinished event, EventContext context) {
        SuiteResult result = new SuiteResult();
        result.application = event.application();
        result.digest = event.digest().value();
        result.stage = event.stage();
        result.suite = event.suite();
        result.attempt = event.attempt();
        result.outcome = event.outcome().wireValue();
        result.reason = event.reason();
        result.finishedAt = context.timestamp();
        return lockApplication(event.application())
                .chain(() -> suiteResults.find(result))
                .chain(known -> known != null ? Uni.createFrom().voidItem() : suiteResults.persist(result).replaceWithVoid())
                .chain(() -> deployments.current(event.application(), event.stage()))
                .chain(current -> current == null || !current.digest.equals(event.digest().value())
                        // A result for a digest the stage no longer runs decides nothing.
                        ? Uni.createFrom().voidItem()
                        : definitions.find(event.application()).chain(definition -> definition == null
                                || definition.stage(event.stage()).isEmpty() ? Uni.createFrom().voidItem()
                                : executor.run(definition, new PromotionExecutor.Passed(
                                        definition.stage(event.stage()).orElseThrow(), event.digest(),
                                        context.chainId()))));
    }

    Uni<Void> onServiceHealthy(ServiceHealthy event, EventContext context) {
        return lockApplication(event.application())
                .chain(() -> signals.record(event.application(), event.stage(), event.digest().value(), true,
                        context.timestamp(), context.id()))
                .chain(() -> definitions.find(event.application()))
                .chain(definition -> healthy(event.application(), event.stage(), event.digest(),
                        context.timestamp(), definition));
    }

    Uni<Void> onServiceRolledBack(ServiceRolledBack event, EventContext context) {
        return lockApplication(event.application())
                .chain(() -> signals.record(event.application(), event.stage(), event.rolledBackDigest().value(), false,
                        context.timestamp(), context.id()))
                .chain(() -> deployments.current(event.application(), event.stage()))
                .chain(current -> {
                    if (current != null && !current.digest.equals(event.rolledBackDigest().value())) {
                        // Promote moved the stage on (after the rollback, under the shared stage tag lock)
                        // before hearing of the rollback: recording it now would make it look current. The
                        // rollback service's history keeps it.
                        LOG.infof("%s: rollback of %s in %s heard after the stage moved on to %s; not recorded"
                                        + " as current", event.application(), event.rolledBackDigest().shortForm(),
                                event.stage(), current.digest);
                        return Uni.createFrom().voidItem();
                    }
                    Deployment rollback = new Deployment();
                    rollback.application = event.application();
                    rollback.stage = event.stage();
                    rollback.digest = event.digest().value();
                    rollback.previousDigest = event.rolledBackDigest().value();
                    rollback.rollbackOf = event.rolledBackDigest().value();
                    rollback.reason = event.reason();
                    rollback.evidence = event.evidence();
                    rollback.actor = "rollback";
                    rollback.chainId = context.chainId();
                    rollback.movedAt = context.timestamp();
                    return deployments.persist(rollback).replaceWithVoid();
                });
    }

    Uni<Void> onArtifactQuarantined(ArtifactQuarantined event, EventContext context) {
        return signals.record(event.application(), event.stage(), event.digest().value(), false, context.timestamp(),
                        context.id())
                .chain(() -> quarantines.isQuarantined(event.application(), event.stage(), event.digest().value())
                .chain(already -> {
                    if (already) {
                        return Uni.createFrom().voidItem();
                    }
                    Quarantine quarantine = new Quarantine();
                    quarantine.application = event.application();
                    quarantine.stage = event.stage();
                    quarantine.digest = event.digest().value();
                    quarantine.reason = event.reason();
                    quarantine.quarantinedAt = context.timestamp();
                    return quarantines.persist(quarantine)
                            .chain(() -> definitions.find(event.application()))
                            .chain(definition -> quarantineChanged(definition, event.digest()));
                }));
    }

    /**
     * A person lifted the digest's quarantine in the stage (in the rollback service): it no longer blocks promotions.
     * An open request of a gated stage is evaluated again at once; otherwise nothing moves by itself and the digest's
     * next passing suite carries it on. It stays blocked while it is quarantined in another stage.
     */
    Uni<Void> onArtifactUnquarantined(ArtifactUnquarantined event) {
        return lockApplication(event.application())
                .chain(() -> quarantines.lift(event.application(), event.stage(), event.digest().value()))
                .invoke(lifted -> LOG.infof("quarantine of %s %s in %s lifted by %s: %s", event.application(),
                        event.digest().shortForm(), event.stage(), event.liftedBy(), event.reason()))
                .chain(() -> definitions.find(event.application()))
                .chain(definition -> quarantineChanged(definition, event.digest()));
    }

    /**
     * The digest was found healthy in a stage (service.healthy): remembered once, and the soak of its waiting
     * promotion into the next stage starts.
     */
    private Uni<Void> healthy(String application, String stage, Digest digest, Instant at,
                              PipelineDefinition definition) {
        return health.of(application, stage, digest.value()).chain(known -> {
            if (known != null) {
                return Uni.createFrom().voidItem();
            }
            StageHealth healthy = new StageHealth();
            healthy.application = application;
            healthy.stage = stage;
            healthy.digest = digest.value();
            healthy.healthyAt = at;
            return health.persist(healthy).replaceWithVoid();
        }).chain(() -> {
            if (definition == null || definition.stage(stage).isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return definition.nextStage(stage)
                    .map(next -> requests.latest(application, next.name(), digest.value()).chain(request -> {
                        if (request == null || request.phase != PromotionPhase.WAITING || request.soakSince != null) {
                            return Uni.createFrom().voidItem();
                        }
                        request.soakSince = at;
                        return executor.run(definition, new PromotionExecutor.Judge(request));
                    }))
                    .orElse(Uni.createFrom().voidItem());
        });
    }

    /**
     * The digest's quarantine changed (put or lifted): its waiting promotions are judged again at once, so the view
     * and the Slack message say so, and a lift lets one whose other gates are met go on without waiting for a vote.
     */
    private Uni<Void> quarantineChanged(PipelineDefinition definition, Digest digest) {
        if (definition == null) {
            return Uni.createFrom().voidItem();
        }
        return requests.waitingOf(definition.application()).chain(waiting -> executor.run(definition, waiting.stream()
                .filter(request -> request.digest.equals(digest.value()))
                .map(PromotionExecutor.Judge::new).toList()));
    }

    /** Serialises all changes of one application: its events arrive on several topics at once. */
    public static Uni<Void> lockApplication(String application) {
        return AdvisoryLock.take("promote", application);
    }
}
