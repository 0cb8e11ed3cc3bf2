package dev.promoter.promote.stop;

import dev.promoter.kit.problem.ProblemException;
import dev.promoter.messaging.Transactions;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.gate.GateEvaluator;
import dev.promoter.promote.gate.GateFacts;
import dev.promoter.promote.promotion.ApplicationChanged;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.promotion.LineStop;
import dev.promoter.promote.promotion.PromotionDecision;
import dev.promoter.promote.promotion.PromotionService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Stops and resumes the line of one application or of all: while it is stopped, no digest enters any of their stages,
 * neither by the pipeline nor by a person's hand or approval (the "stopped" gate of {@link GateEvaluator}); rollbacks
 * are the rollback service's and go on. Resuming makes every held request due, so the timer of pending promotions
 * evaluates them again within a tick and they go on by themselves. Both are written to the audit trail.
 */
@ApplicationScoped
public class LineStops {

    private static final Logger LOG = Logger.getLogger(LineStops.class);
    static final int MAX_REASON = 500;

    /** A stopped line: whose ({@code application} null for every application), by whom, since when, why. */
    public record StopView(String application, String stoppedBy, String identity, String via, String reason,
                           Instant stoppedAt, String words) {
        public static StopView of(LineStop stop) {
            return new StopView(stop.application(), stop.stoppedBy, stop.identity, stop.via, stop.reason, stop.stoppedAt,
                    GateEvaluator.stopped(new GateFacts.Stop(stop.application(), stop.stoppedBy, stop.reason,
                            stop.stoppedAt)));
        }
    }

    private final Transactions transactions;
    private final DefinitionService definitions;
    private final GateRepositories.Stops stops;
    private final GateRepositories.Decisions decisions;
    private final Event<ApplicationChanged> changed;

    LineStops(Transactions transactions, DefinitionService definitions, GateRepositories.Stops stops,
              GateRepositories.Decisions decisions, Event<ApplicationChanged> changed) {
        this.changed = changed;
        this.transactions = transactions;
        this.definitions = definitions;
        this.stops = stops;
        this.decisions = decisions;
    }

    /** Stops the line of {@code application} (null: of every application); 409 when it is already stopped. */
    public Uni<StopView> stop(String application, String reason, String identity, String via) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.badRequest("say why the line stops: {\"reason\": \"…\"}", List.of());
        }
        if (reason.length() > MAX_REASON) {
            throw ProblemException.badRequest("the reason is longer than " + MAX_REASON + " characters", List.of());
        }
        String scope = application == null ? LineStop.ALL : application;
        return transactions.inTransaction(() -> person(application, identity).chain(person -> stops.findById(scope)
                .chain(existing -> {
                    if (existing != null) {
                        throw new ProblemException(409, "Conflict", "already stopped: " + StopView.of(existing).words());
                    }
                    LineStop stop = new LineStop();
                    stop.scope = scope;
                    stop.stoppedBy = person;
                    stop.identity = identity;
                    stop.via = via;
                    stop.reason = reason.strip();
                    // Microseconds, as PostgreSQL keeps them: the answer shows what a later read shows.
                    stop.stoppedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    LOG.infof("the line of %s stopped by %s: %s", application == null ? "every application" : application,
                            person, stop.reason);
                    return stops.persist(stop)
                            .chain(() -> audit(PromotionDecision.Kind.STOP, scope, person, identity, via, stop.reason))
                            .map(ignored -> StopView.of(stop));
                }))).invoke(() -> changed.fire(new ApplicationChanged(scope)));
    }

    /**
     * Resumes the line of {@code application} (null: of every application); 404 when it is not stopped. A stop of
     * every application is a separate stop: resuming one application leaves it, and the other way round.
     */
    public Uni<StopView> resume(String application, String identity, String via) {
        String scope = application == null ? LineStop.ALL : application;
        return transactions.inTransaction(() -> person(application, identity).chain(person -> stops.findById(scope)
                .chain(stop -> {
                    if (stop == null) {
                        throw ProblemException.notFound("the line of " + (application == null ? "every application"
                                : application) + " is not stopped");
                    }
                    LOG.infof("the line of %s resumed by %s", application == null ? "every application" : application,
                            person);
                    StopView view = StopView.of(stop);
                    return stops.delete(stop).chain(() -> stops.flush())
                            .chain(() -> stops.wakeWaiting(scope, Instant.now()))
                            .chain(() -> audit(PromotionDecision.Kind.RESUME, scope, person, identity, via, stop.reason))
                            .map(ignored -> view);
                }))).invoke(() -> changed.fire(new ApplicationChanged(scope)));
    }

    /** Every stopped line, every application's first. */
    public Uni<List<StopView>> active() {
        return stops.active().map(all -> all.stream().map(StopView::of).toList());
    }

    /** The person behind the identity as the application's definition names them; 404 for an unknown application. */
    private Uni<String> person(String application, String identity) {
        if (application == null) {
            return Uni.createFrom().item(identity);
        }
        return PromotionService.lockApplication(application).chain(() -> definitions.find(application)).map(definition -> {
            if (definition == null) {
                throw ProblemException.notFound("application " + application + " has no pipeline definition");
            }
            return definition.people().personOf(identity);
        });
    }

    private Uni<Void> audit(PromotionDecision.Kind kind, String scope, String person, String identity, String via,
                            String reason) {
        return decisions.persistAndFlush(PromotionDecision.of(kind, null, scope, null, null, person, identity, via, reason,
                Instant.now())).replaceWithVoid();
    }
}
