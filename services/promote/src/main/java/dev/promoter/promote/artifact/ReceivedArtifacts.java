package dev.promoter.promote.artifact;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The artifacts promote heard of, one per application and digest. */
@ApplicationScoped
public class ReceivedArtifacts implements PanacheRepository<ReceivedArtifact> {

    public Uni<ReceivedArtifact> find(String application, String digest) {
        return find("application = ?1 and digest = ?2", application, digest).firstResult();
    }

    /** The application's artifacts, newest first. */
    public Uni<List<ReceivedArtifact>> ofApplication(String application) {
        return list("application = ?1 order by id desc", application);
    }
}
