package dev.promoter.promote.approval;

import dev.promoter.contracts.Digest;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.messaging.Transactions;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.PromotionMode;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.promotion.ApplicationChanged;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.promotion.PromotionDecision;
import dev.promoter.promote.promotion.PromotionExecutor;
import dev.promoter.promote.promotion.PromotionFacts;
import dev.promoter.promote.promotion.PromotionRequest;
import dev.promoter.promote.promotion.PromotionService;
import dev.promoter.promote.promotion.PromotionPhase;
import dev.promoter.promote.promotion.StagePin;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;


/**
 * The decisions people take on gated stages, through any door (Slack, API) with the same rules: approve or reject
 * a waiting digest, promote one by hand, pin and unpin a stage. Each accepted decision is written to the audit trail
 * in the transaction that acts on it; a refused one changes nothing and says why.
 */
@ApplicationScoped
public class ApprovalService {

    /** Where a request stands after a decision. */
    public record Outcome(String application, String stage, String digest, String phase, String explanation,
                          String person) {
    }

    private final Transactions transactions;
    private final DefinitionService definitions;
    private final GateRepositories.Requests requests;
    private final GateRepositories.Decisions decisions;
    private final GateRepositories.Pins pins;
    private final DeploymentRepository deployments;
    private final PromotionExecutor executor;
    private final PromotionFacts facts;
    private final jakarta.enterprise.event.Event<ApplicationChanged> changed;

    ApprovalService(Transactions transactions, DefinitionService definitions, GateRepositories.Requests requests,
                    GateRepositories.Decisions decisions, GateRepositories.Pins pins, DeploymentRepository deployments,
                    PromotionExecutor executor, PromotionFacts facts,
                    jakarta.enterprise.event.Event<ApplicationChanged> changed) {
        this.changed = changed;
        this.transactions = transactions;
        this.definitions = definitions;
        this.requests = requests;
        this.decisions = decisions;
        this.pins = pins;
        this.deployments = deployments;
        this.executor = executor;
        this.facts = facts;
    }

    /** Approves or rejects ({@code vote}) the waiting promotion of {@code digest} into {@code stage}. */
    public Uni<Outcome> decide(String application, String stage, String digest, String identity, String via,
                               PromotionDecision.Kind vote, String comment) {
        return decide(application, stage, digest, identity, java.util.Set.of(), via, vote, comment);
    }

    /**
     * As above, for a caller in identity-provider groups ({@code groups}, from an OIDC token): an approval rule's
     * {@code @group} entries admit them, now and whenever the request is evaluated again.
     */
    public Uni<Outcome> decide(String application, String stage, String digest, String identity,
                               java.util.Set<String> groups, String via, PromotionDecision.Kind vote,
                               String comment) {
        if (!vote.isVote()) {
            throw new IllegalArgumentException(vote + " is not a vote");
        }
        Digest parsed = digest(digest);
        return inStage(application, stage, (definition, stageDefinition) -> requests
                .latest(application, stage, parsed.value())
                .chain(request -> {
                    refuseUnlessOpen(request, stage, parsed);
                    String person = definition.people().personOf(identity);
                    return facts.refusal(definition, stageDefinition, request, identity, groups).chain(refusal -> {
                        if (refusal != null) {
                            throw new ProblemException(403, "Not allowed", refusal);
                        }
                        return facts.evaluate(definition, request, Instant.now()).chain(evaluation -> {
                            if (evaluation.blocked()) {
                                throw conflict(evaluation.blocker().words());
                            }
                            PromotionDecision decision = PromotionDecision.of(vote,
                                    request.id, application, stage, parsed.value(), person, identity, via, comment,
                                    Instant.now()).byGroups(groups);
                            return decisions.persistAndFlush(decision)
                                    .chain(() -> executor.run(definition, new PromotionExecutor.Judge(request)))
                                    .map(ignored -> outcome(request, person));
                        });
                    });
                }));
    }

    /**
     * Promotes a digest by hand: for a stage with {@code promotion: manual} this is the step its open request waits
     * for; where no request is open (none yet, or the last one was rejected or lapsed) it opens a new one, which
     * still has to pass every gate. The digest must have entered the previous stage.
     */
    public Uni<Outcome> promote(String application, String stage, String digest, String identity, String via,
                                String comment) {
        Digest parsed = digest(digest);
        return inStage(application, stage, (definition, stageDefinition) -> {
            String person = definition.people().personOf(identity);
            return requests.latest(application, stage, parsed.value()).chain(latest -> {
                if (latest != null && latest.phase == PromotionPhase.WAITING) {
                    if (stageDefinition.promotion() != PromotionMode.MANUAL || latest.promotedBy != null) {
                        throw conflict(parsed.shortForm() + " already waits to enter " + stage + ": " + latest.explanation);
                    }
                    latest.promotedBy = person;
                    return audit(PromotionDecision.Kind.PROMOTE, latest.id, application, stage, parsed, person, identity, via, comment)
                            .chain(() -> executor.run(definition, new PromotionExecutor.Judge(latest)))
                            .map(ignored -> outcome(latest, person));
                }
                return eligible(definition, stageDefinition, parsed)
                        .chain(() -> executor.open(definition, stageDefinition, parsed, "promoted by hand by " + person
                                        + (comment == null || comment.isBlank() ? "" : ": " + comment), identity, null,
                                stageDefinition.promotion() == PromotionMode.MANUAL ? person : null))
                        .call(request -> audit(PromotionDecision.Kind.PROMOTE, request.id, application, stage, parsed,
                                person, identity, via, comment))
                        .map(request -> outcome(request, person));
            });
        });
    }

    /** Holds the stage at {@code digest} (its current one when null): nothing else enters until it is unpinned. */
    public Uni<Outcome> pin(String application, String stage, String digest, String identity, String via, String reason) {
        return inStage(application, stage, (definition, stageDefinition) -> deployments.current(application, stage)
                .chain(current -> {
                    String pinned = digest != null ? digest(digest).value() : current == null ? null : current.digest;
                    if (pinned == null) {
                        throw ProblemException.unprocessable(stage + " runs nothing yet; name the digest to pin it at");
                    }
                    String person = definition.people().personOf(identity);
                    return pins.of(application, stage).chain(existing -> {
                        StagePin pin = existing != null ? existing : new StagePin();
                        pin.application = application;
                        pin.stage = stage;
                        pin.digest = pinned;
                        pin.pinnedBy = person;
                        pin.reason = reason;
                        pin.pinnedAt = Instant.now();
                        return (existing != null ? Uni.createFrom().item(pin) : pins.persist(pin))
                                .chain(() -> audit(PromotionDecision.Kind.PIN, null, application, stage,
                                        Digest.parse(pinned), person, identity, via, reason))
                                .map(ignored -> new Outcome(application, stage, pinned, "PINNED",
                                        stage + " is pinned at " + Digest.parse(pinned).shortForm() + " by " + person, person));
                    });
                }));
    }

    /** Lifts the stage's pin and lets the digests waiting behind it go through their gates again. */
    public Uni<Outcome> unpin(String application, String stage, String identity, String via, String reason) {
        return inStage(application, stage, (definition, stageDefinition) -> pins.of(application, stage).chain(pin -> {
            if (pin == null) {
                throw conflict(stage + " is not pinned");
            }
            String person = definition.people().personOf(identity);
            return pins.delete(pin).chain(() -> pins.flush())
                    .chain(() -> audit(PromotionDecision.Kind.UNPIN, null, application, stage, Digest.parse(pin.digest),
                            person, identity, via, reason))
                    .chain(() -> requests.waiting(application, stage))
                    .chain(waiting -> executor.run(definition, waiting.stream().map(PromotionExecutor.Judge::new).toList()))
                    .map(ignored -> new Outcome(application, stage, pin.digest, "UNPINNED", stage + " is no longer pinned", person));
        }));
    }

    private Uni<Outcome> inStage(String application, String stage,
                                 java.util.function.BiFunction<PipelineDefinition, StageDefinition, Uni<Outcome>> work) {
        return transactions.inTransaction(() -> PromotionService.lockApplication(application)
                .chain(() -> definitions.find(application))
                .chain(definition -> {
                    if (definition == null) {
                        throw ProblemException.notFound("application " + application + " has no pipeline definition");
                    }
                    StageDefinition stageDefinition = definition.stage(stage).orElseThrow(() -> ProblemException.notFound(
                            "application " + application + " has no stage '" + stage + "'; its stages are "
                                    + definition.stageNames()));
                    return work.apply(definition, stageDefinition);
                })).invoke(() -> changed.fire(new ApplicationChanged(application)));
    }

    private Uni<Void> eligible(PipelineDefinition definition, StageDefinition stage, Digest digest) {
        String application = definition.application();
        return deployments.current(application, stage.name()).chain(current -> {
            if (current != null && current.digest.equals(digest.value())) {
                throw conflict(stage.name() + " already runs " + digest.shortForm());
            }
            var previous = definition.previousStage(stage.name());
            if (previous.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return deployments.history(application).map(moves -> {
                boolean entered = moves.stream().anyMatch(d -> d.stage.equals(previous.get().name())
                        && d.digest.equals(digest.value()));
                if (!entered) {
                    throw conflict(digest.shortForm() + " never entered " + previous.get().name()
                            + "; a digest reaches " + stage.name() + " only from there");
                }
                return null;
            });
        }).replaceWithVoid();
    }

    private Uni<Void> audit(PromotionDecision.Kind kind, Long requestId, String application, String stage, Digest digest,
                            String person, String identity, String via, String comment) {
        return decisions.persistAndFlush(PromotionDecision.of(kind, requestId, application, stage, digest.value(), person,
                identity, via, comment, Instant.now())).replaceWithVoid();
    }

    private static void refuseUnlessOpen(PromotionRequest request, String stage, Digest digest) {
        if (request == null) {
            throw ProblemException.notFound("no request of " + digest.shortForm() + " to enter " + stage
                    + " is waiting for a decision");
        }
        switch (request.phase) {
            case WAITING -> { }
            case SUPERSEDED -> throw conflict("this request was " + request.explanation + "; decide on the newer one");
            case LAPSED -> throw conflict("this request lapsed (" + request.explanation
                    + "); promote the digest again to open a new request");
            case REJECTED -> throw conflict("this request was already decided: " + request.explanation);
            case PROMOTED -> throw conflict(digest.shortForm() + " was already promoted into " + stage);
        }
    }

    private static Outcome outcome(PromotionRequest request, String person) {
        return new Outcome(request.application, request.stage, request.digest, request.phase.name(),
                request.explanation, person);
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("digest must be sha256:<64 lowercase hex>", java.util.List.of());
        }
    }

    private static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

}
