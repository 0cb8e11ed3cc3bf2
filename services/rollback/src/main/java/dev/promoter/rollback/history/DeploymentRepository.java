package dev.promoter.rollback.history;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The deployment history of every stage. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepository<Deployment> {

    /** The stage's moves, oldest first; the last one is what it runs now. */
    public Uni<List<Deployment>> ofStage(String application, String stage) {
        return list("application = ?1 and stage = ?2 order by id", application, stage);
    }

    /** Marks the deployment healthy once; true when this call marked it. */
    public Uni<Boolean> markHealthy(long id, Instant at) {
        return update("healthyAt = ?1 where id = ?2 and healthyAt is null", at, id).map(updated -> updated == 1);
    }
}
