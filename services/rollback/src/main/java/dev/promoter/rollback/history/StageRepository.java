package dev.promoter.rollback.history;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The stages the rollback service heard of. */
@ApplicationScoped
public class StageRepository implements PanacheRepository<Stage> {

    /** The stage, or null when no promotion into it was ever heard of. */
    public Uni<Stage> find(String application, String stage) {
        return find("application = ?1 and stage = ?2", application, stage).firstResult();
    }

    /** Every stage that has health checks. */
    public Uni<List<Stage>> probed() {
        return list("healthUrl is not null order by id");
    }
}
