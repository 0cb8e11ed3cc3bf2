package dev.promoter.build.artifact;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Artifacts accepted so far, one per application and digest. */
@ApplicationScoped
class ArtifactRepository implements PanacheRepository<Artifact> {

    Uni<Artifact> findByDigest(String application, String digest) {
        return find("application = ?1 and digest = ?2", application, digest).firstResult();
    }
}
