package dev.promoter.promote.promotion;

import dev.promoter.messaging.Transactions;
import dev.promoter.promote.definition.DefinitionService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The timer trigger: looks again at waiting promotions whose verdict time alone changes: a freeze ends, a soak completes, a request lapses
 * while nothing else happens. Bounded work per tick; each request in its own transaction under its application's
 * lock, so a tick never races a decision.
 */
@ApplicationScoped
public class PendingPromotions {

    private static final Logger LOG = Logger.getLogger(PendingPromotions.class);
    static final int PER_TICK = 20;

    private final Transactions transactions;
    private final GateRepositories.Requests requests;
    private final DefinitionService definitions;
    private final PromotionExecutor executor;
    private final jakarta.enterprise.event.Event<ApplicationChanged> changed;

    PendingPromotions(Transactions transactions, GateRepositories.Requests requests, DefinitionService definitions,
                      PromotionExecutor executor, jakarta.enterprise.event.Event<ApplicationChanged> changed) {
        this.changed = changed;
        this.transactions = transactions;
        this.requests = requests;
        this.definitions = definitions;
        this.executor = executor;
    }

    @Scheduled(every = "${promote.gates.recheck-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        return transactions.inTransaction(() -> requests.due(Instant.now(), PER_TICK))
                .map(due -> due.stream().map(r -> r.id).toList())
                .chain(this::recheck)
                .onFailure().invoke(e -> LOG.warnf("re-evaluating pending promotions failed, next tick retries: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> recheck(List<Long> ids) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Long id : ids) {
            chain = chain.chain(() -> transactions.inTransaction(() -> requests.findById(id)
                    .chain(request -> PromotionService.lockApplication(request.application)
                            .chain(() -> requests.getSession().chain(session -> session.refresh(request)))
                            .chain(() -> definitions.find(request.application))
                            .chain(definition -> definition == null ? Uni.createFrom().voidItem()
                                    : executor.run(definition, new PromotionExecutor.Judge(request)))
                            .replaceWith(request.application)))
                    .invoke(application -> changed.fire(new ApplicationChanged(application)))
                    .replaceWithVoid());
        }
        return chain;
    }
}
