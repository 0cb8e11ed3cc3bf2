package dev.promoter.test.suite;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The artifacts that entered each stage, with the stage's policy. */
@ApplicationScoped
class ArtifactInStageRepository implements PanacheRepository<ArtifactInStage> {

    Uni<ArtifactInStage> findEntry(String application, String stage, String digest) {
        return find("application = ?1 and stage = ?2 and digest = ?3", application, stage, digest).firstResult();
    }

    /** The artifact the stage runs now: the one that entered it last; null when none did. */
    Uni<ArtifactInStage> current(String application, String stage) {
        return find("application = ?1 and stage = ?2 order by enteredAt desc, id desc", application, stage)
                .firstResult();
    }
}
