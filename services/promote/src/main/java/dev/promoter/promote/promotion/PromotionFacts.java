package dev.promoter.promote.promotion;

import dev.promoter.promote.artifact.ReceivedArtifact;
import dev.promoter.contracts.Digest;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.ImageReference;
import dev.promoter.oci.RegistryClient;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.People;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.GateEvaluation;
import dev.promoter.promote.gate.GateEvaluator;
import dev.promoter.promote.gate.GateFacts;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.history.QuarantineRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reads what gates a promotion from the tables that hold it (suite results, health, decisions, pin, quarantine, stop)
 * and the rules it was asked under, and loads it as a {@link Promotion}. Read only; runs in the caller's session.
 */
@ApplicationScoped
public class PromotionFacts {

    private final DefinitionService definitions;
    private final GateRepositories.Decisions decisions;
    private final GateRepositories.Pins pins;
    private final GateRepositories.Health health;
    private final GateRepositories.Stops stops;
    private final PromotionRepositories.SuiteResults suiteResults;
    private final DeploymentRepository deployments;
    private final QuarantineRepository quarantines;
    private final RegistryClient registry;

    PromotionFacts(DefinitionService definitions, GateRepositories.Decisions decisions, GateRepositories.Pins pins,
                   GateRepositories.Health health, GateRepositories.Stops stops,
                   PromotionRepositories.SuiteResults suiteResults, DeploymentRepository deployments,
                   QuarantineRepository quarantines, RegistryClient registry) {
        this.definitions = definitions;
        this.decisions = decisions;
        this.pins = pins;
        this.health = health;
        this.stops = stops;
        this.suiteResults = suiteResults;
        this.deployments = deployments;
        this.quarantines = quarantines;
        this.registry = registry;
    }

    /** The stored promotion with the facts that gate it now, and the rules it was asked under. */
    Uni<Loaded> load(PipelineDefinition definition, PromotionRequest request) {
        return facts(definition, request).chain(facts -> askedUnder(definition, request, facts)
                .map(asked -> new Loaded(request.promotion(facts), asked)));
    }

    /** A promotion with its facts, and the rules it was asked under where they differ from the current ones. */
    record Loaded(Promotion promotion, GateEvaluator.AskedUnder asked) {
    }

    /**
     * The gates' verdict on a waiting promotion at {@code now}, from the stored facts, under the current rules and
     * those it was asked under. Changes nothing.
     */
    public Uni<GateEvaluation> evaluate(PipelineDefinition definition, PromotionRequest request, Instant now) {
        StageDefinition stage = definition.stage(request.stage).orElseThrow();
        return facts(definition, request).chain(facts -> askedUnder(definition, request, facts)
                .map(asked -> GateEvaluator.evaluate(stage, definition.people(), facts, now, asked)));
    }

    /**
     * Why {@code identity} may not approve or reject the promotion (under the current rules or those it was asked
     * under); null when they may.
     */
    public Uni<String> refusal(PipelineDefinition definition, StageDefinition stage, PromotionRequest request,
                               String identity, Set<String> groups) {
        return facts(definition, request).chain(facts -> askedUnder(definition, request, facts)
                .map(asked -> GateEvaluator.refusal(stage, definition.people(), facts, identity, asked, groups)));
    }

    /** Whether the digest passed every suite of the stage (latest attempt of each). */
    Uni<Boolean> suitesPassed(String application, StageDefinition stage, String digest) {
        return suiteResults.of(application, digest, stage.name()).map(results -> SuiteVerdict.of(stage,
                results.stream().map(r -> new SuiteVerdict.Result(r.suite, r.attempt, r.outcome)).toList()).kind()
                == SuiteVerdict.Kind.PASSED);
    }

    /**
     * When the soak of a digest entering {@code stage} starts: when it was found healthy in the previous stage (null
     * while it was not), or, where that stage has no health check, when it entered it; for the first stage, when it
     * was received.
     */
    Uni<Instant> soakStart(PipelineDefinition definition, StageDefinition stage, Digest digest,
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

    /** Whether the image carries the stage's hotfix label (read from the registry). */
    Uni<Boolean> hotfix(PipelineDefinition definition, StageDefinition stage, Digest digest) {
        String label = stage.gates().hotfixLabel();
        if (label == null) {
            return Uni.createFrom().item(false);
        }
        String repository = ImageReference.parse(definition.repository()).repository();
        return Blocking.call(() -> new ImageInspector(registry).inspect(repository, digest.value()).image().label(label)
                .filter(value -> !value.equalsIgnoreCase("false")).isPresent());
    }

    /** What gate evaluation knows about a promotion: its suites, soak, author, votes, pin, quarantine, stop. */
    private Uni<GateFacts> facts(PipelineDefinition definition, PromotionRequest request) {
        String author = request.author == null ? null : definition.people().personOf("git:" + request.author);
        return suitesPassedBefore(definition, request)
                .chain(passed -> decisions.of(request.id).chain(all -> pins.of(request.application, request.stage)
                        .chain(pin -> quarantines.anyOf(request.application, request.digest)
                                .chain(quarantine -> stops.holding(request.application).map(stop -> new GateFacts(
                                        request.digest, request.fromStage, passed, request.soakSince, author,
                                        request.hotfix, request.requestedAt, votes(all, null), request.promotedBy,
                                        pin == null ? null : new GateFacts.Pin(pin.digest, pin.pinnedBy, pin.reason),
                                        quarantine == null ? null
                                                : new GateFacts.Quarantine(quarantine.stage, quarantine.reason),
                                        stop == null ? null : new GateFacts.Stop(stop.application(), stop.stoppedBy,
                                                stop.reason, stop.stoppedAt)))))));
    }

    private Uni<Boolean> suitesPassedBefore(PipelineDefinition definition, PromotionRequest request) {
        if (request.fromStage == null) {
            return Uni.createFrom().item(true);
        }
        StageDefinition previous = definition.stage(request.fromStage).orElse(null);
        if (previous == null) {
            return Uni.createFrom().item(false);
        }
        return suitesPassed(request.application, previous, request.digest);
    }

    /**
     * The rules the promotion was asked under, when its stage or the people differ in the current definition; null
     * when they are the same, or it predates versioning.
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

    /** The approvals and rejections, each by its person as {@code people} name them (null: as recorded). */
    private static List<GateFacts.Vote> votes(List<PromotionDecision> all, People people) {
        return all.stream()
                .filter(d -> d.decision.isVote())
                .map(d -> new GateFacts.Vote(people == null ? d.person : people.personOf(d.identity),
                        d.decision == PromotionDecision.Kind.APPROVE, d.decidedAt, d.comment, d.groups()))
                .toList();
    }
}
