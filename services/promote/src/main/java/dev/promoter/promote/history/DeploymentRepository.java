package dev.promoter.promote.history;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The deployment history of every stage. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepository<Deployment> {

    /** The stage's current deployment (its newest move), or null when the stage never ran anything. */
    public Uni<Deployment> current(String application, String stage) {
        return find("application = ?1 and stage = ?2 order by id desc", application, stage).firstResult();
    }

    /** All moves of the application's stages, oldest first. */
    public Uni<List<Deployment>> history(String application) {
        return list("application = ?1 order by id", application);
    }
}
