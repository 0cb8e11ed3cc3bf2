package dev.promoter.promote.promotion;

import dev.promoter.promote.artifact.ReceivedArtifacts;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.PipelineEvent;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.StageTagLock;
import dev.promoter.messaging.Traces;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RetagResult;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.Gate;
import dev.promoter.promote.gate.GateEvaluation;
import dev.promoter.promote.gate.GateEvaluator;
import dev.promoter.promote.gate.GateStatus;
import dev.promoter.promote.history.Deployment;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.history.QuarantineRepository;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The one place that judges promotions and moves stage tags. Every trigger (an artifact, a suite result, a health
 * verdict, a decision, a pin, a quarantine, the timer, changed rules) updates what it knows and hands the executor
 * its work; the executor works through a queue in a loop: it judges each promotion with {@link GateEvaluator} through
 * {@link Promotion}, moves the tag of those whose gates are met, and queues the next stage of a digest whose suites
 * already passed in the stage it entered (a stage without suites passes it straight on), so one trigger carries a
 * digest through every stage it may enter, in the caller's transaction, after the application's lock.
 */
@ApplicationScoped
public class PromotionExecutor {

    private static final Logger LOG = Logger.getLogger(PromotionExecutor.class);
    static final String PIPELINE = "pipeline";
    private static final AttributeKey<String> ACTOR = AttributeKey.stringKey("promoter.actor");
    private static final AttributeKey<String> GATE_OUTCOME = AttributeKey.stringKey("promoter.gate.outcome");

    /** One piece of work for the executor. */
    public sealed interface Work {
    }

    /** The pipeline brings a digest to the stage (new artifact, or suites passed before it): enter or wait. */
    public record Arrive(StageDefinition stage, Digest digest, String reason, String chainId) implements Work {
    }

    /** The digest's suites in the stage it runs in may have passed: if so, it goes on to the next stage. */
    public record Passed(StageDefinition stage, Digest digest, String chainId) implements Work {
    }

    /** Something a waiting promotion depends on changed: judge it again. */
    public record Judge(PromotionRequest request) implements Work {
    }

    private final DefinitionService definitions;
    private final PromotionFacts facts;
    private final GateRepositories.Requests requests;
    private final GateRepositories.Pins pins;
    private final GateRepositories.Stops stops;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final ReceivedArtifacts artifacts;
    private final RegistryClient registry;
    private final Outbox outbox;
    private final Instance<RequestListener> listeners;
    private final Journeys journeys;
    private final Traces traces;
    private final PromotionMeters meters;

    PromotionExecutor(DefinitionService definitions, PromotionFacts facts, GateRepositories.Requests requests,
                      GateRepositories.Pins pins, GateRepositories.Stops stops, DeploymentRepository deployments,
                      QuarantineRepository quarantines, ReceivedArtifacts artifacts, RegistryClient registry,
                      Outbox outbox, Instance<RequestListener> listeners, Journeys journeys, Traces traces,
                      PromotionMeters meters) {
        this.definitions = definitions;
        this.facts = facts;
        this.requests = requests;
        this.pins = pins;
        this.stops = stops;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.artifacts = artifacts;
        this.registry = registry;
        this.outbox = outbox;
        this.listeners = listeners;
        this.journeys = journeys;
        this.traces = traces;
        this.meters = meters;
    }

    /** Does the work, and all it leads to, one piece after the other. */
    public Uni<Void> run(PipelineDefinition definition, List<? extends Work> work) {
        Deque<Work> queue = new ArrayDeque<>(work);
        if (definition == null || queue.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // A loop, not recursion: each repetition takes one piece of work; work may queue more (the next stage).
        return Multi.createBy().repeating().uni(() -> step(definition, queue.poll(), queue).replaceWith(queue::isEmpty))
                .until(done -> done)
                .collect().last()
                .replaceWithVoid();
    }

    /** As {@link #run(PipelineDefinition, List)}, for one piece of work. */
    public Uni<Void> run(PipelineDefinition definition, Work work) {
        return run(definition, List.of(work));
    }

    /**
     * Opens a new promotion of the digest into the stage, superseding the stage's waiting ones of other digests,
     * judges it at once and does what follows. {@code promotedBy} is set when a person asked for it by hand.
     */
    public Uni<PromotionRequest> open(PipelineDefinition definition, StageDefinition stage, Digest digest,
                                      String reason, String requestedBy, String chainId, String promotedBy) {
        Deque<Work> next = new ArrayDeque<>();
        return opened(definition, stage, digest, reason, requestedBy, chainId, promotedBy)
                .call(request -> judge(definition, request, next))
                .call(() -> run(definition, List.copyOf(next)));
    }

    private Uni<Void> step(PipelineDefinition definition, Work work, Deque<Work> queue) {
        if (work instanceof Arrive arrive) {
            return arrive(definition, arrive, queue);
        }
        if (work instanceof Passed passed) {
            return passed(definition, passed, queue);
        }
        if (work instanceof Judge judge) {
            return judge(definition, judge.request(), queue);
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Enters the stage at once when it has no gates and no pin and the line runs; else opens a promotion that waits,
     * or judges the waiting one again. A digest whose promotion ended (rejected, lapsed) stays out until a person asks
     * again: a replayed event must not reopen it.
     */
    private Uni<Void> arrive(PipelineDefinition definition, Arrive arrive, Deque<Work> queue) {
        String application = definition.application();
        StageDefinition stage = arrive.stage();
        Digest digest = arrive.digest();
        return pins.of(application, stage.name()).chain(pin -> stops.holding(application).chain(stop -> {
            if (pin == null && stop == null && !GateEvaluator.gated(stage)) {
                return move(definition, stage, digest, arrive.reason(), PIPELINE, arrive.chainId(), queue);
            }
            return deployments.current(application, stage.name()).chain(current -> {
                if (current != null && current.digest.equals(digest.value())) {
                    return Uni.createFrom().voidItem();
                }
                return requests.latest(application, stage.name(), digest.value()).chain(latest -> {
                    if (latest == null) {
                        return opened(definition, stage, digest, arrive.reason(), PIPELINE, arrive.chainId(), null)
                                .chain(request -> judge(definition, request, queue));
                    }
                    return latest.phase == PromotionPhase.WAITING ? judge(definition, latest, queue)
                            : Uni.createFrom().voidItem();
                });
            });
        }));
    }

    private Uni<Void> passed(PipelineDefinition definition, Passed passed, Deque<Work> queue) {
        StageDefinition stage = passed.stage();
        return facts.suitesPassed(definition.application(), stage, passed.digest().value()).invoke(ok -> {
            if (!ok) {
                LOG.debugf("%s %s in %s: suites not passed (yet)", definition.application(),
                        passed.digest().shortForm(), stage.name());
                return;
            }
            String reason = stage.suites().isEmpty() ? "nothing to test in " + stage.name()
                    : "suites passed in " + stage.name() + ": "
                    + stage.suites().stream().map(s -> s.name()).collect(Collectors.joining(", "));
            definition.nextStage(stage.name()).ifPresent(next ->
                    queue.add(new Arrive(next, passed.digest(), reason, passed.chainId())));
        }).replaceWithVoid();
    }

    private Uni<PromotionRequest> opened(PipelineDefinition definition, StageDefinition stage, Digest digest,
                                         String reason, String requestedBy, String chainId, String promotedBy) {
        String application = definition.application();
        Instant now = Instant.now();
        return requests.waiting(application, stage.name())
                .chain(waiting -> supersede(definition, stage, waiting, digest, now))
                .chain(() -> artifacts.find(application, digest.value()))
                .chain(artifact -> facts.soakStart(definition, stage, digest, artifact)
                        .chain(soakSince -> facts.hotfix(definition, stage, digest)
                        .chain(hotfix -> definitions.currentRevision(application).chain(revision -> {
                            PromotionRequest request = new PromotionRequest();
                            request.application = application;
                            request.stage = stage.name();
                            request.digest = digest.value();
                            request.fromStage = definition.previousStage(stage.name()).map(StageDefinition::name)
                                    .orElse(null);
                            request.phase = PromotionPhase.WAITING;
                            request.reason = reason;
                            request.requestedAt = now;
                            request.requestedBy = requestedBy;
                            request.soakSince = soakSince;
                            request.hotfix = hotfix;
                            request.promotedBy = promotedBy;
                            request.chainId = chainId != null ? chainId : artifact == null ? null : artifact.chainId;
                            request.slackChannel = stage.slackChannel();
                            request.definitionRevision = revision == 0 ? null : revision;
                            if (artifact != null) {
                                request.author = artifact.author;
                                request.commitId = artifact.commitId;
                                request.buildUrl = artifact.buildUrl;
                            }
                            LOG.infof("%s %s waits to enter %s", application, digest.shortForm(), stage.name());
                            return requests.persist(request);
                        }))));
    }

    private Uni<Void> supersede(PipelineDefinition definition, StageDefinition stage, List<PromotionRequest> waiting,
                                Digest newer, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PromotionRequest older : waiting) {
            if (older.digest.equals(newer.value())) {
                continue;
            }
            chain = chain.chain(() -> {
                Promotion promotion = older.promotion(null);
                promotion.supersede(newer.value(), "superseded by " + newer.shortForm(), now);
                older.keep(promotion);
                return notify(definition, stage, older, null);
            });
        }
        return chain;
    }

    /** Judges a waiting promotion now and acts on it: enter (move the tag), end, or wait (and when to look again). */
    private Uni<Void> judge(PipelineDefinition definition, PromotionRequest request, Deque<Work> queue) {
        if (request.phase.isTerminal()) {
            return Uni.createFrom().voidItem();
        }
        return journeys.step("gate " + request.stage, request.application, request.stage, request.digest)
                .chain(step -> step.run(() -> judged(definition, request, queue)));
    }

    private Uni<Void> judged(PipelineDefinition definition, PromotionRequest request, Deque<Work> queue) {
        StageDefinition stage = definition.stage(request.stage).orElse(null);
        Instant now = Instant.now();
        if (stage == null) {
            Promotion promotion = request.promotion(null);
            promotion.drop(now);
            request.keep(promotion);
            return Uni.createFrom().voidItem();
        }
        return facts.load(definition, request).chain(loaded -> {
            Promotion promotion = loaded.promotion();
            Promotion.Judgement judgement = promotion.judge(stage, definition.people(), now, loaded.asked());
            request.keep(promotion);
            GateEvaluation evaluation = judgement.evaluation();
            Span.current().setAttribute(GATE_OUTCOME,
                    evaluation.open() ? "open" : evaluation.blocked() ? "blocked" : "waiting");
            return switch (judgement.step()) {
                case ENTER -> {
                    meters.gateWaited(request, now);
                    String actor = request.promotedBy != null ? request.promotedBy : PIPELINE;
                    yield move(definition, stage, Digest.parse(request.digest),
                            request.reason + "; " + gateSummary(evaluation), actor, request.chainId, queue)
                            .chain(() -> notify(definition, stage, request, evaluation));
                }
                case ENDED -> {
                    LOG.infof("%s %s will not enter %s: %s", request.application,
                            Digest.parse(request.digest).shortForm(), stage.name(), request.explanation);
                    yield notify(definition, stage, request, evaluation);
                }
                case WAITS_CHANGED -> notify(definition, stage, request, evaluation);
                case WAITS -> Uni.createFrom().voidItem();
            };
        });
    }

    /**
     * Moves the stage's tag to the digest and records it, then queues its next stage in case the suites of this one
     * already passed (or it has none). A quarantined digest, or one the stage already runs, stays put.
     */
    private Uni<Void> move(PipelineDefinition definition, StageDefinition stage, Digest digest, String reason,
                           String actor, String chainId, Deque<Work> queue) {
        String application = definition.application();
        return quarantines.isQuarantinedAnywhere(application, digest.value()).chain(quarantined -> {
            if (quarantined) {
                LOG.infof("%s %s is quarantined; not promoting it into %s", application, digest.shortForm(),
                        stage.name());
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
                        // Results may already be here (events of different topics race, and replays happen).
                        .invoke(() -> queue.add(new Passed(stage, digest, chainId)));
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

    private static String gateSummary(GateEvaluation evaluation) {
        return evaluation.gates().stream().filter(g -> g.gate() != Gate.SUITES).map(GateStatus::words)
                .reduce((a, b) -> a + "; " + b).orElse("gates met");
    }

    private Uni<Void> notify(PipelineDefinition definition, StageDefinition stage, PromotionRequest request,
                             GateEvaluation evaluation) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RequestListener listener : listeners) {
            chain = chain.chain(() -> listener.changed(definition, stage, request, evaluation));
        }
        return chain;
    }
}
