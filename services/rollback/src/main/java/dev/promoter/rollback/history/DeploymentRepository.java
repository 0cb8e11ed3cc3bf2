package dev.promoter.rollback.history;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The deployment history of every stage. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepository<Deployment> {

    /**
     * The rollback target rule of {@code dev.promoter.contracts.RollbackTarget}, answered by the database from the
     * stage's index instead of from the whole history in memory: the newest move whose digest is not the one the stage
     * runs now, was found healthy in some deployment of the stage and is not quarantined there; with the correlation
     * id of the newest move that brought that digest. {@code RollbackTargetQueryTest} holds it to the Java rule.
     */
    /**
     * {@link dev.promoter.contracts.RollbackTarget}'s condition on a candidate move {@code t}, as SQL: its digest was
     * found healthy in some deployment of the stage and is not quarantined there. Shared by the verdict path's query
     * below and the history API's ({@link HistoryPages#target}).
     */
    static final String HEALTHY_HERE_AND_NOT_QUARANTINED =
            " and exists (select 1 from deployment h where h.application = t.application and h.stage = t.stage"
            + " and h.digest = t.digest and h.healthy_at is not null)"
            + " and not exists (select 1 from quarantine q where q.application = t.application and q.stage = t.stage"
            + " and q.digest = t.digest)";

    static final String ROLLBACK_TARGET = "select t.digest, (select c.chain_id from deployment c"
            + " where c.application = t.application and c.stage = t.stage and c.digest = t.digest"
            + " order by c.id desc limit 1)"
            + " from deployment t where t.application = ?1 and t.stage = ?2 and t.digest <> ?3"
            + HEALTHY_HERE_AND_NOT_QUARANTINED
            + " order by t.id desc limit 1";

    /** The stage's moves, oldest first; the last one is what it runs now. For the history API and manual rollbacks. */
    public Uni<List<Deployment>> ofStage(String application, String stage) {
        return list("application = ?1 and stage = ?2 order by id", application, stage);
    }

    /** Marks the deployment healthy once; true when this call marked it. */
    public Uni<Boolean> markHealthy(long id, Instant at) {
        return update("healthyAt = ?1 where id = ?2 and healthyAt is null", at, id).map(updated -> updated == 1);
    }

    /** One move as a decision reads it, by projection; null when there is no such row. */
    public Uni<CurrentMove> move(long id) {
        return Panache.getSession().chain(session -> session.createSelectionQuery("select new "
                        + CurrentMove.class.getName() + "(d.id, d.digest, d.chainId, d.healthyAt, d.unhealthyAt,"
                        + " d.traceparent) from Deployment d where d.id = ?1", CurrentMove.class)
                .setParameter(1, id)
                .getSingleResultOrNull());
    }

    /**
     * Where the stage would go back to from {@code current}, the digest it runs (see {@link #ROLLBACK_TARGET}); reads
     * what the session has flushed.
     */
    public Uni<Optional<TargetMove>> rollbackTarget(String application, String stage, String current) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ROLLBACK_TARGET, Object[].class)
                .setParameter(1, application)
                .setParameter(2, stage)
                .setParameter(3, current)
                .getResultList())
                .map(rows -> rows.isEmpty() ? Optional.empty()
                        : Optional.of(new TargetMove((String) rows.get(0)[0], (String) rows.get(0)[1])));
    }
}
