package dev.promoter.rollback.drift;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Confirmed drifts per stage. */
@ApplicationScoped
public class DriftRepository implements PanacheRepository<Drift> {

    /** The stage's newest drift, or null. */
    public Uni<Drift> latest(String application, String stage) {
        return find("application = ?1 and stage = ?2 order by id desc", application, stage).firstResult();
    }

    /** The stage's drifts, newest first. */
    public Uni<List<Drift>> ofStage(String application, String stage) {
        return list("application = ?1 and stage = ?2 order by id desc", application, stage);
    }
}
