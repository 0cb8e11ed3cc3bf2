package dev.promoter.promote.promotion;

import dev.promoter.promote.definition.People;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.GateEvaluation;
import dev.promoter.promote.gate.GateEvaluator;
import dev.promoter.promote.gate.GateFacts;
import dev.promoter.promote.gate.GateStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One digest entering one stage: where it stands ({@link PromotionPhase}), the facts that gate it (suites, soak,
 * votes, pin, quarantine, stop) and what its gates say. Plain Java: the executor loads it, asks it to judge itself and
 * stores what changed. It changes phase only through {@link #judge}, {@link #supersede} and {@link #drop}, which
 * refuse to move a promotion that already ended.
 */
public final class Promotion {

    /** What the executor does after a judgement. */
    public enum Step {
        /** Every gate is met: move the stage's tag to the digest. */
        ENTER,
        /** A gate ended the promotion (rejected, lapsed). */
        ENDED,
        /** It still waits, and the words people read changed. */
        WAITS_CHANGED,
        /** It still waits, for the same reasons as before. */
        WAITS
    }

    /** A judgement: the gates' verdict and what follows from it. */
    public record Judgement(GateEvaluation evaluation, Step step) {
    }

    private final String application;
    private final String stage;
    private final String digest;
    private final GateFacts facts;
    private PromotionPhase phase;
    private String explanation;
    private Instant nextCheckAt;
    private Instant endedAt;
    private String supersededBy;

    private Promotion(String application, String stage, String digest, PromotionPhase phase, String explanation,
                      GateFacts facts) {
        this.application = Objects.requireNonNull(application, "application");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.digest = Objects.requireNonNull(digest, "digest");
        this.phase = Objects.requireNonNull(phase, "phase");
        this.explanation = explanation;
        this.facts = facts;
    }

    /**
     * A promotion as it stands: {@code facts} what gates it now (null when only its phase is to change, as for a
     * superseded one).
     */
    public static Promotion of(String application, String stage, String digest, PromotionPhase phase,
                               String explanation, GateFacts facts) {
        return new Promotion(application, stage, digest, phase, explanation, facts);
    }

    /**
     * Judges the waiting promotion by its gates at {@code now}, under the stage's current rules and, when it was asked
     * under others, those too: PROMOTED when every gate is met (the executor then moves the tag), REJECTED or LAPSED
     * as the blocking gate says, else it keeps waiting with the gates' words and the next time they change by
     * themselves.
     */
    public Judgement judge(StageDefinition definition, People people, Instant now, GateEvaluator.AskedUnder asked) {
        requireWaiting();
        if (facts == null) {
            throw new IllegalStateException("judging a promotion needs its facts");
        }
        GateEvaluation evaluation = GateEvaluator.evaluate(definition, people, facts, now, asked);
        if (evaluation.open()) {
            String met = evaluation.gates().stream().map(GateStatus::words).collect(Collectors.joining("; "));
            end(PromotionPhase.PROMOTED, met.isEmpty() ? "all gates met" : met, now);
            return new Judgement(evaluation, Step.ENTER);
        }
        if (evaluation.blocked()) {
            GateStatus blocker = evaluation.blocker();
            end(blocker.ending() == GateStatus.Ending.REJECTED ? PromotionPhase.REJECTED : PromotionPhase.LAPSED,
                    blocker.words(), now);
            return new Judgement(evaluation, Step.ENDED);
        }
        boolean changed = !evaluation.explanation().equals(explanation);
        explanation = evaluation.explanation();
        nextCheckAt = evaluation.nextChange();
        return new Judgement(evaluation, changed ? Step.WAITS_CHANGED : Step.WAITS);
    }

    /** A newer digest asked for the stage: this one will not enter it. */
    public void supersede(String newer, String words, Instant at) {
        end(PromotionPhase.SUPERSEDED, words, at);
        supersededBy = newer;
    }

    /** The stage left the pipeline definition: nothing can enter it any more. */
    public void drop(Instant at) {
        end(PromotionPhase.SUPERSEDED, "the pipeline definition no longer has stage " + stage, at);
    }

    private void end(PromotionPhase outcome, String words, Instant at) {
        if (!phase.next().contains(outcome)) {
            throw new IllegalStateException(application + " " + digest + " into " + stage + " is already " + phase
                    + "; it cannot become " + outcome);
        }
        phase = outcome;
        explanation = words;
        endedAt = at;
        nextCheckAt = null;
    }

    private void requireWaiting() {
        if (phase != PromotionPhase.WAITING) {
            throw new IllegalStateException(application + " " + digest + " into " + stage + " is already " + phase);
        }
    }

    public String application() {
        return application;
    }

    public String stage() {
        return stage;
    }

    public String digest() {
        return digest;
    }

    public PromotionPhase phase() {
        return phase;
    }

    /** The gates' verdict in plain words, as of the last judgement. */
    public String explanation() {
        return explanation;
    }

    /** When time alone changes a gate's verdict; null when only people or events can, or once it ended. */
    public Instant nextCheckAt() {
        return nextCheckAt;
    }

    /** When it ended; null while it waits. */
    public Instant endedAt() {
        return endedAt;
    }

    /** The digest that superseded it; null unless it was superseded by one. */
    public String supersededBy() {
        return supersededBy;
    }

    /** The facts that gate it; null when it was loaded without them. */
    public GateFacts facts() {
        return facts;
    }
}
