package dev.promoter.rollback.quarantine;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The audit trail of lifted quarantines. */
@ApplicationScoped
public class QuarantineLiftRepository implements PanacheRepository<QuarantineLift> {

    /** The quarantines lifted in the stage, oldest first. */
    public Uni<List<QuarantineLift>> ofStage(String application, String stage) {
        return list("application = ?1 and stage = ?2 order by id", application, stage);
    }
}
