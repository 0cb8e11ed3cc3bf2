package dev.promoter.promote.promotion;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.Blocking;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.GateEvaluation;
import dev.promoter.promote.gate.GateEvaluator;
import dev.promoter.promote.gate.GateFacts;
import dev.promoter.promote.gate.GateStatus;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.history.QuarantineRepository;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps digests out of gated stages until their gates are met: opens a request per digest and stage, evaluates it
 * whenever something changes (a decision, a pin, time), and promotes, rejects or lets it lapse. Every method runs
 * inside the caller's transaction, after the application's lock.
 */
@ApplicationScoped
public class GateKeeper {

    private static final Logger LOG = Logger.getLogger(GateKeeper.class);
    private static final AttributeKey<String> GATE_OUTCOME = AttributeKey.stringKey("promoter.gate.outcome");

    private final PromotionService promotions;
    private final GateRepositories.Requests requests;
    private final GateRepositories.Decisions decisions;
    private final GateRepositories.Pins pins;
    private final GateRepositories.Health health;
    private final DeploymentRepository deployments;
    private final ReceivedArtifacts artifacts;
    private final PromotionRepositories.SuiteResults suiteResults;
    private final RegistryClient registry;
    private final Instance<RequestListener> listeners;
    private final QuarantineRepository quarantines;
    private final GateRepositories.Stops stops;
    private final DefinitionService definitions;
    private final Journeys journeys;
    private final PromotionMeters meters;

    GateKeeper(DefinitionService definitions, PromotionService promotions, GateRepositories.Requests requests, GateRepositories.Decisions decisions,
               GateRepositories.Pins pins, GateRepositories.Health health, DeploymentRepository deployments, ReceivedArtifacts artifacts,
               PromotionRepositories.SuiteResults suiteResults, RegistryClient registry,
               Instance<RequestListener> listeners, QuarantineRepository quarantines, GateRepositories.Stops stops,
               Journeys journeys, PromotionMeters meters) {
        this.stops = stops;
        this.meters = meters;
        this.journeys = journeys;
        this.promotions = promotions;
        this.requests = requests;
        this.decisions = decisions;
        this.pins = pins;
        this.health = health;
        this.deployments = deployments;
        this.artifacts = artifacts;
        this.suiteResults = suiteResults;
        this.registry = registry;
        this.listeners = listeners;
        this.quarantines = quarantines;
        this.definitions = definitions;
    }

    /**
     * A digest is ready for {@code stage} (its previous stage's suites passed): promote it at once when the stage has
     * no gates and no pin and the line runs, else open a request for it, or re-evaluate the open one. A digest whose request ended
     * (rejected, lapsed) stays out until a person asks again: a replayed event must not reopen it.
     */
    Uni<Void> enter(PipelineDefinition definition, StageDefinition stage, Digest digest, String reason, String chainId) {
        String application = definition.application();
        return pins.of(application, stage.name()).chain(pin -> stops.holding(application).chain(stop -> {
            if (pin == null && stop == null && !GateEvaluator.gated(stage)) {
                return promotions.promoteInto(definition, stage, digest, reason, PromotionService.PIPELINE, chainId);
            }
            return deployments.current(application, stage.name()).chain(current -> {
                if (current != null && current.digest.equals(digest.value())) {
                    return Uni.createFrom().voidItem();
                }
                return requests.latest(application, stage.name(), digest.value()).chain(latest -> {
                    if (latest == null) {
                        return open(definition, stage, digest, reason, PromotionService.PIPELINE, chainId, null)
                                .replaceWithVoid();
                    }
                    return latest.phase == RequestPhase.PENDING ? reevaluate(definition, latest) : Uni.createFrom().voidItem();
                });
            });
        }));
    }

    /**
     * Opens a new request for the digest to enter the stage, superseding the stage's open requests for other
     * digests, and evaluates it at once. {@code promotedBy} is set when a person asked for it by hand.
     */
    public Uni<PromotionRequest> open(PipelineDefinition definition, StageDefinition stage, Digest digest,
                                      String reason, String requestedBy, String chainId, String promotedBy) {
        String application = definition.application();
        Instant now = Instant.now();
        return requests.pending(application, stage.name())
                .chain(open -> supersede(definition, stage, open, digest, now))
                .chain(() -> artifacts.find(application, digest.value()))
                .chain(artifact -> soakStart(definition, stage, digest, artifact).chain(soakSince -> hotfix(definition, stage, digest)
                        .chain(hotfix -> definitions.currentRevision(application).chain(revision -> {
                            PromotionRequest request = new PromotionRequest();
                            request.application = application;
                            request.stage = stage.name();
                            request.digest = digest.value();
                            request.fromStage = definition.previousStage(stage.name()).map(StageDefinition::name).orElse(null);
                            request.phase = RequestPhase.PENDING;
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
                        }))))
                .call(request -> reevaluate(definition, request));
    }

    private Uni<Void> supersede(PipelineDefinition definition, StageDefinition stage, List<PromotionRequest> open,
                                Digest newer, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PromotionRequest older : open) {
            if (older.digest.equals(newer.value())) {
                continue;
            }
            chain = chain.chain(() -> {
                older.close(RequestPhase.SUPERSEDED, "superseded by " + newer.shortForm(), now);
                older.supersededBy = newer.value();
                return notify(definition, stage, older, null);
            });
        }
        return chain;
    }

    /** Evaluates an open request now and acts on the verdict: promote, reject, lapse, or wait (and when to look again). */
    public Uni<Void> reevaluate(PipelineDefinition definition, PromotionRequest request) {
        if (request.phase.isTerminal()) {
            return Uni.createFrom().voidItem();
        }
        return journeys.step("gate " + request.stage, request.application, request.stage, request.digest)
                .chain(step -> step.run(() -> decide(definition, request)));
    }

    private Uni<Void> decide(PipelineDefinition definition, PromotionRequest request) {
        StageDefinition stage = definition.stage(request.stage).orElse(null);
        Instant now = Instant.now();
        if (stage == null) {
            request.close(RequestPhase.SUPERSEDED, "the pipeline definition no longer has stage " + request.stage, now);
            return Uni.createFrom().voidItem();
        }
        return evaluate(definition, request, now).chain(evaluation -> {
            Span.current().setAttribute(GATE_OUTCOME,
                    evaluation.open() ? "open" : evaluation.blocked() ? "blocked" : "waiting");
            if (evaluation.open()) {
                request.close(RequestPhase.PROMOTED, evaluation.gates().stream().map(GateStatus::words)
                        .reduce((a, b) -> a + "; " + b).orElse("all gates met"), now);
                meters.gateWaited(request, now);
                String actor = request.promotedBy != null ? request.promotedBy : PromotionService.PIPELINE;
                return promotions.promoteInto(definition, stage, Digest.parse(request.digest),
                                request.reason + "; " + gateSummary(evaluation), actor, request.chainId)
                        .chain(() -> notify(definition, stage, request, evaluation));
            }
            if (evaluation.blocked()) {
                GateStatus blocker = evaluation.blocker();
                RequestPhase outcome = blocker.words().startsWith("rejected") ? RequestPhase.REJECTED : RequestPhase.LAPSED;
                request.close(outcome, blocker.words(), now);
                LOG.infof("%s %s will not enter %s: %s", request.application, Digest.parse(request.digest).shortForm(),
                        stage.name(), blocker.words());
                return notify(definition, stage, request, evaluation);
            }
            boolean changed = !evaluation.explanation().equals(request.explanation);
            request.explanation = evaluation.explanation();
            request.nextCheckAt = evaluation.nextChange();
            return changed ? notify(definition, stage, request, evaluation) : Uni.createFrom().voidItem();
        });
    }

    /**
     * The gates' verdict on a request at {@code now}, from the stored facts, under the current rules and those it was
     * asked under.
     */
    public Uni<GateEvaluation> evaluate(PipelineDefinition definition, PromotionRequest request, Instant now) {
        StageDefinition stage = definition.stage(request.stage).orElseThrow();
        return facts(definition, request).chain(facts -> askedUnder(definition, request, facts)
                .map(asked -> GateEvaluator.evaluate(stage, definition.people(), facts, now, asked)));
    }

    /**
     * Why {@code identity} may not approve or reject the request (under the current rules or those it was asked
     * under); null when they may.
     */
    public Uni<String> refusal(PipelineDefinition definition, StageDefinition stage, PromotionRequest request,
                               String identity, java.util.Set<String> groups) {
        return facts(definition, request).chain(facts -> askedUnder(definition, request, facts)
                .map(asked -> GateEvaluator.refusal(stage, definition.people(), facts, identity, asked, groups)));
    }

    /**
     * The rules the request was asked under, when its stage or the people differ in the current definition; null
     * when they are the same, or the request predates versioning.
     */
    private Uni<GateEvaluator.AskedUnder> askedUnder(PipelineDefinition definition, PromotionRequest request,
                                                     GateFacts facts) {
        if (request.definitionRevision == null) {
            return Uni.createFrom().nullItem();
        }
        return definitions.find(request.application, request.definitionRevision).chain(asked -> {
            StageDefinition then = asked == null ? null : asked.stage(request.stage).orElse(null);
            if (then == null || then.equals(definition.stage(request.stage).orElse(null))
                    && asked.people().equals(definition.people())) {
                return Uni.createFrom().nullItem();
            }
            // The people as they were then decide who the author is and whose each vote was.
            return decisions.of(request.id).map(all -> new GateEvaluator.AskedUnder(request.definitionRevision, then,
                    asked.people(), new GateFacts(facts.digest(), facts.previousStage(), facts.suitesPassed(),
                    facts.soakSince(), request.author == null ? null : asked.people().personOf("git:" + request.author),
                    facts.hotfix(), facts.requestedAt(), votes(all, asked.people()), facts.promotedBy(), facts.pin(),
                    facts.quarantine(), facts.stop())));
        });
    }

    private static List<GateFacts.Vote> votes(List<PromotionDecision> all, dev.promoter.promote.definition.People people) {
        return all.stream()
                .filter(d -> d.decision.equals("approve") || d.decision.equals("reject"))
                .map(d -> new GateFacts.Vote(people.personOf(d.identity), d.decision.equals("approve"), d.decidedAt,
                        d.comment, d.groups()))
                .toList();
    }

    /** What gate evaluation knows about a request: its suites, soak, author, votes, pin, quarantine, stop. */
    public Uni<GateFacts> facts(PipelineDefinition definition, PromotionRequest request) {
        String author = request.author == null ? null : definition.people().personOf("git:" + request.author);
        return suitesPassed(definition, request)
                .chain(passed -> decisions.of(request.id).chain(all -> pins.of(request.application, request.stage)
                        .chain(pin -> quarantines.anyOf(request.application, request.digest)
                                .chain(quarantine -> stops.holding(request.application).map(stop -> new GateFacts(request.digest, request.fromStage, passed,
                                        request.soakSince, author, request.hotfix, request.requestedAt, votes(all),
                                        request.promotedBy,
                                        pin == null ? null : new GateFacts.Pin(pin.digest, pin.pinnedBy, pin.reason),
                                        quarantine == null ? null
                                                : new GateFacts.Quarantine(quarantine.stage, quarantine.reason),
                                        stop == null ? null : new GateFacts.Stop(stop.application(), stop.stoppedBy,
                                                stop.reason, stop.stoppedAt)))))));
    }

    private static List<GateFacts.Vote> votes(List<PromotionDecision> all) {
        return all.stream()
                .filter(d -> d.decision.equals("approve") || d.decision.equals("reject"))
                .map(d -> new GateFacts.Vote(d.person, d.decision.equals("approve"), d.decidedAt, d.comment, d.groups()))
                .toList();
    }

    private Uni<Boolean> suitesPassed(PipelineDefinition definition, PromotionRequest request) {
        if (request.fromStage == null) {
            return Uni.createFrom().item(true);
        }
        StageDefinition previous = definition.stage(request.fromStage).orElse(null);
        if (previous == null) {
            return Uni.createFrom().item(false);
        }
        return suiteResults.of(request.application, request.digest, previous.name()).map(results -> SuiteVerdict.of(previous,
                results.stream().map(r -> new SuiteVerdict.Result(r.suite, r.attempt, r.outcome)).toList()).kind()
                == SuiteVerdict.Kind.PASSED);
    }

    /**
     * The digest was found healthy in a stage (service.healthy): remembered once, and the soak of the open request
     * for the next stage starts. Runs inside the consumer's transaction.
     */
    /**
     * The digest's quarantine changed (put or lifted): its open requests are evaluated again at once, so the view and
     * the Slack message say so, and a lift lets a request whose other gates are met go on without waiting for a vote.
     */
    Uni<Void> onQuarantineChanged(PipelineDefinition definition, Digest digest) {
        if (definition == null) {
            return Uni.createFrom().voidItem();
        }
        return requests.pendingOf(definition.application()).chain(open -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (PromotionRequest request : open) {
                if (request.digest.equals(digest.value())) {
                    chain = chain.chain(() -> reevaluate(definition, request));
                }
            }
            return chain;
        });
    }

    Uni<Void> onServiceHealthy(String application, String stage, Digest digest, Instant at,
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
                        if (request == null || request.phase != RequestPhase.PENDING || request.soakSince != null) {
                            return Uni.createFrom().voidItem();
                        }
                        request.soakSince = at;
                        return reevaluate(definition, request);
                    }))
                    .orElse(Uni.createFrom().voidItem());
        });
    }

    /**
     * When the soak starts: when the digest was found healthy in the previous stage (null while it was not), or,
     * where that stage has no health check, when the digest entered it; for the first stage, when it was received.
     */
    private Uni<Instant> soakStart(PipelineDefinition definition, StageDefinition stage, Digest digest,
                                   ReceivedArtifact artifact) {
        var previous = definition.previousStage(stage.name());
        if (previous.isEmpty()) {
            return Uni.createFrom().item(artifact == null ? Instant.now() : artifact.receivedAt);
        }
        if (previous.get().health() != null) {
            return health.of(definition.application(), previous.get().name(), digest.value())
                    .map(healthy -> healthy == null ? null : healthy.healthyAt);
        }
        return deployments.history(definition.application()).map(moves -> moves.stream()
                .filter(d -> d.stage.equals(previous.get().name()) && d.digest.equals(digest.value()))
                .map(d -> d.movedAt)
                .reduce((a, b) -> a.isAfter(b) ? a : b)
                .orElse(null));
    }

    private Uni<Boolean> hotfix(PipelineDefinition definition, StageDefinition stage, Digest digest) {
        String label = stage.gates().hotfixLabel();
        if (label == null) {
            return Uni.createFrom().item(false);
        }
        String repository = ImageReference.parse(definition.repository()).repository();
        return Blocking.call(() -> new ImageInspector(registry).inspect(repository, digest.value()).image().label(label)
                .filter(value -> !value.equalsIgnoreCase("false")).isPresent());
    }

    private static String gateSummary(GateEvaluation evaluation) {
        return evaluation.gates().stream().filter(g -> !g.gate().equals("suites")).map(GateStatus::words)
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
