package dev.promoter.promote.history;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

    /**
     * The digests found healthy in each of the application's stages ({@code stage_health}, kept from the rollback
     * service's {@code service.healthy} events), by stage: what the rollback target rule needs.
     */
    public Uni<Map<String, Set<String>>> healthyDigests(String application) {
        return getSession().chain(session -> session.createNativeQuery(
                        "select stage, digest from stage_health where application = :application", Object[].class)
                .setParameter("application", application).getResultList()).map(rows -> {
                    Map<String, Set<String>> byStage = new TreeMap<>();
                    for (Object[] row : rows) {
                        byStage.computeIfAbsent((String) row[0], s -> new HashSet<>()).add((String) row[1]);
                    }
                    return byStage;
                });
    }
}
