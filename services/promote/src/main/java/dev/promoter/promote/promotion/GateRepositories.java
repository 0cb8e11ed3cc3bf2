package dev.promoter.promote.promotion;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Persistence of gate requests, decisions and pins. */
public final class GateRepositories {

    private GateRepositories() {
    }

    /** The stored promotions that had to wait. */
    @ApplicationScoped
    public static class Requests implements PanacheRepository<PromotionRequest> {
        /** The newest request of this digest for this stage, or null. */
        public Uni<PromotionRequest> latest(String application, String stage, String digest) {
            return find("application = ?1 and stage = ?2 and digest = ?3 order by id desc", application, stage, digest)
                    .firstResult();
        }

        /** The stage's waiting promotions, oldest first. */
        public Uni<List<PromotionRequest>> waiting(String application, String stage) {
            return list("application = ?1 and stage = ?2 and phase = ?3 order by id", application, stage, PromotionPhase.WAITING);
        }

        /** The application's waiting promotions, oldest first. */
        public Uni<List<PromotionRequest>> waitingOf(String application) {
            return list("application = ?1 and phase = ?2 order by id", application, PromotionPhase.WAITING);
        }

        /** Waiting promotions whose verdict time alone may have changed, oldest first, at most {@code limit}. */
        Uni<List<PromotionRequest>> due(Instant now, int limit) {
            return find("phase = ?1 and nextCheckAt <= ?2 order by nextCheckAt", PromotionPhase.WAITING, now)
                    .page(0, limit).list();
        }
    }

    /** The audit trail. */
    @ApplicationScoped
    public static class Decisions implements PanacheRepository<PromotionDecision> {
        public Uni<List<PromotionDecision>> of(Long requestId) {
            return list("requestId = ?1 order by id", requestId);
        }

        /** The application's decisions and the stops and resumes of every application's line, newest first. */
        public Uni<List<PromotionDecision>> ofApplication(String application, int limit) {
            return find("application in (?1, ?2) order by id desc", application, LineStop.ALL).page(0, limit).list();
        }

        /** Up to {@code limit} of {@link #ofApplication}'s decisions with ids below {@code below}, newest first. */
        public Uni<List<PromotionDecision>> page(String application, int limit, long below) {
            return find("application in (?1, ?2) and id < ?3 order by id desc", application, LineStop.ALL, below)
                    .page(0, limit).list();
        }
    }

    /** Pins, one per stage at most. */
    @ApplicationScoped
    public static class Pins implements PanacheRepositoryBase<StagePin, StagePin.Key> {
        public Uni<StagePin> of(String application, String stage) {
            return find("application = ?1 and stage = ?2", application, stage).firstResult();
        }

        public Uni<List<StagePin>> ofApplication(String application) {
            return list("application = ?1", application);
        }
    }

    /** Stops of the line, one per scope at most. */
    @ApplicationScoped
    public static class Stops implements PanacheRepositoryBase<LineStop, String> {
        /** The stop holding the application: its own when there is one, else every application's; null when none. */
        public Uni<LineStop> holding(String application) {
            return find("scope in (?1, ?2) order by case when scope = ?2 then 1 else 0 end", application, LineStop.ALL)
                    .firstResult();
        }

        /** Every active stop, every application's first. */
        public Uni<List<LineStop>> active() {
            return list("order by case when scope = ?1 then 0 else 1 end, scope", LineStop.ALL);
        }

        /** Makes every waiting promotion of the application (or of all, for {@link LineStop#ALL}) due for evaluation now. */
        public Uni<Integer> wakeWaiting(String scope, Instant now) {
            return LineStop.ALL.equals(scope)
                    ? getSession().chain(s -> s.createQuery("update PromotionRequest set nextCheckAt = :now"
                            + " where phase = :phase").setParameter("now", now)
                            .setParameter("phase", PromotionPhase.WAITING).executeUpdate())
                    : getSession().chain(s -> s.createQuery("update PromotionRequest set nextCheckAt = :now"
                            + " where phase = :phase and application = :application").setParameter("now", now)
                            .setParameter("phase", PromotionPhase.WAITING).setParameter("application", scope)
                            .executeUpdate());
        }
    }

    /** When digests were found healthy in stages. */
    @ApplicationScoped
    public static class Health implements PanacheRepository<StageHealth> {
        public Uni<StageHealth> of(String application, String stage, String digest) {
            return find("application = ?1 and stage = ?2 and digest = ?3", application, stage, digest).firstResult();
        }
    }
}
