package dev.promoter.promote.promotion;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.ArtifactQuarantined;
import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.PipelineEvent;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceHealthy;
import dev.promoter.contracts.ServiceRolledBack;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.kit.Blocking;
import dev.promoter.messaging.AdvisoryLock;
import dev.promoter.messaging.StageTagLock;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Traces;
import dev.promoter.promote.dora.StageSignals;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RetagResult;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
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
 * Moves artifacts through their application's stages: a new artifact enters the first stage, a
 * digest whose suites all passed in a stage enters the next one. Each move retags the registry,
 * appends to the stage's deployment history and announces itself, in one transaction per event.
 * Called only from the consumers, inside the transaction {@code IncomingEvents} opens.
 */
@ApplicationScoped
public class PromotionService {

    private static final Logger LOG = Logger.getLogger(PromotionService.class);
    static final String PIPELINE = "pipeline";
    private static final AttributeKey<String> ACTOR = AttributeKey.stringKey("promoter.actor");

    private final DefinitionService definitions;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final ReceivedArtifacts artifacts;
    private final PromotionRepositories.SuiteResults suiteResults;
    private final RegistryClient registry;
    private final Outbox outbox;
    private final GateKeeper gates;
    private final Journeys journeys;
    private final Traces traces;
    private final StageSignals signals;
    private final PromotionMeters meters;

    PromotionService(DefinitionService definitions, DeploymentRepository deployments, QuarantineRepository quarantines,
                     ReceivedArtifacts artifacts, PromotionRepositories.SuiteResults suiteResults,
                     RegistryClient registry, Outbox outbox, GateKeeper gates, Journeys journeys, Traces traces,
                     StageSignals signals, PromotionMeters meters) {
        this.meters = meters;
        this.signals = signals;
        this.journeys = journeys;
        this.traces = traces;
        this.gates = gates;
        this.definitions = definitions;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.artifacts = artifacts;
        this.suiteResults = suiteResults;
        this.registry = registry;
        this.outbox = outbox;
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
                    return recorded.chain(() -> gates.enter(definition, definition.firstStage(), event.digest(),
                            "new artifact" + (event.commit() == null ? "" : " of commit " + event.commit()),
                            context.chainId()));
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
                        : advanceIfPassed(event.application(), event.stage(), event.digest(), context.chainId()));
    }

    Uni<Void> onServiceHealthy(ServiceHealthy event, EventContext context) {
        return lockApplication(event.application())
                .chain(() -> signals.record(event.application(), event.stage(), event.digest().value(), true,
                        context.timestamp(), context.id()))
                .chain(() -> definitions.find(event.application()))
                .chain(definition -> gates.onServiceHealthy(event.application(), event.stage(), event.digest(),
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
                            .chain(definition -> gates.onQuarantineChanged(definition, event.digest()));
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
                .chain(definition -> gates.onQuarantineChanged(definition, event.digest()));
    }

    private Uni<Void> advanceIfPassed(String application, String stage, Digest digest, String chainId) {
        return definitions.find(application).chain(definition -> {
            if (definition == null || definition.stage(stage).isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            StageDefinition stageDefinition = definition.stage(stage).orElseThrow();
            return suiteResults.of(application, digest.value(), stage).chain(results -> {
                SuiteVerdict verdict = SuiteVerdict.of(stageDefinition, results.stream()
                        .map(r -> new SuiteVerdict.Result(r.suite, r.attempt, r.outcome)).toList());
                if (verdict.kind() != SuiteVerdict.Kind.PASSED) {
                    LOG.debugf("%s %s in %s: %s", application, digest.shortForm(), stage, verdict);
                    return Uni.createFrom().voidItem();
                }
                String reason = stageDefinition.suites().isEmpty() ? "nothing to test in " + stage
                        : "suites passed in " + stage + ": " + String.join(", ", suiteNames(stageDefinition));
                return definition.nextStage(stage)
                        .map(next -> gates.enter(definition, next, digest, reason, chainId))
                        .orElse(Uni.createFrom().voidItem());
            });
        });
    }

    /**
     * Moves the stage's tag to the digest and records it, then moves it on if the stage's suites have
     * already passed (or it has none). A quarantined digest, or one the stage already runs, stays put.
     */
    public Uni<Void> promoteInto(PipelineDefinition definition, StageDefinition stage, Digest digest, String reason,
                          String actor, String chainId) {
        String application = definition.application();
        return quarantines.isQuarantinedAnywhere(application, digest.value()).chain(quarantined -> {
            if (quarantined) {
                LOG.infof("%s %s is quarantined; not promoting it into %s", application, digest.shortForm(), stage.name());
                return Uni.createFrom().voidItem();
            }
            return deployments.current(application, stage.name()).chain(current -> {
                if (current != null && current.digest.equals(digest.value())) {
                    return Uni.createFrom().voidItem();
                }
                String repositoryPath = ImageReference.parse(definition.repository()).repository();
                return journeys.step("promote " + stage.name(), application, stage.name(), digest.value())
                        .chain(step -> step.attribute(ACTOR, actor).run(() ->
                                // The rollback service takes the same lock around its own retag + record of this stage.
                                StageTagLock.take(application, stage.name())
                                        .chain(() -> retag(repositoryPath, application, stage.name(), digest))
                                        .chain(() -> record(definition, stage, digest, current, reason, actor, chainId))))
                        // Results may already be here (events of different topics race, and replays
                        // happen); a stage with nothing to test passes the digest straight on.
                        .chain(() -> advanceIfPassed(application, stage.name(), digest, chainId));
            });
        });
    }

    private Uni<RetagResult> retag(String repositoryPath, String application, String stage, Digest digest) {
        return traces.step("retag " + stage).kind(SpanKind.CLIENT)
                .application(application).stage(stage).digest(digest.value())
                .attribute(Traces.REPOSITORY, repositoryPath)
                .run(() -> Blocking.call(() -> registry.retag(repositoryPath, digest.value(), stage)));
    }

    private Uni<Void> record(PipelineDefinition definition, StageDefinition stage, Digest digest, Deployment current,
                             String reason, String actor, String chainId) {
        Deployment deployment = new Deployment();
        deployment.application = definition.application();
        deployment.stage = stage.name();
        deployment.digest = digest.value();
        deployment.previousDigest = current == null ? null : current.digest;
        deployment.reason = reason;
        deployment.actor = actor;
        deployment.chainId = chainId;
        deployment.movedAt = Instant.now();
        PipelineEvent announcement = current == null
                ? new ServiceDeployed(definition.application(), definition.repository(), stage.name(), digest, null,
                        reason, actor, StagePolicies.of(stage))
                : new ServiceUpgraded(definition.application(), definition.repository(), stage.name(), digest,
                        Digest.parse(current.digest), reason, actor, StagePolicies.of(stage));
        LOG.infof("promoted %s %s into %s (%s)", definition.application(), digest.shortForm(), stage.name(), reason);
        return deployments.persist(deployment).chain(() -> outbox.append(announcement, chainId))
                .chain(() -> meters.moved(definition, stage, deployment));
    }

    /** Serialises all changes of one application: its events arrive on several topics at once. */
    public static Uni<Void> lockApplication(String application) {
        return AdvisoryLock.take("promote", application);
    }

    private static java.util.List<String> suiteNames(StageDefinition stage) {
        return stage.suites().stream().map(s -> s.name()).toList();
    }
}
