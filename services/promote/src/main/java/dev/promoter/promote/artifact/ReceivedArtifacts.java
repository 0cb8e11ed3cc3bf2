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

    /**
     * The application's newest {@code limit} artifacts and those of {@code digests} however old (what its stages run
     * now), newest first: a bounded list for the read views.
     */
    public Uni<List<ReceivedArtifact>> newest(String application, int limit, java.util.Collection<String> digests) {
        return find("application = ?1 order by id desc", (Object) application).page(0, limit).list()
                .chain(newest -> digests.isEmpty() ? Uni.createFrom().item(newest)
                        : list("application = ?1 and digest in ?2", application, digests).map(running -> {
                            java.util.Map<Long, ReceivedArtifact> byId = new java.util.TreeMap<>(
                                    java.util.Comparator.reverseOrder());
                            newest.forEach(a -> byId.put(a.id, a));
                            running.forEach(a -> byId.put(a.id, a));
                            return List.copyOf(byId.values());
                        }));
    }

    /** The application's artifacts, newest first. */
    public Uni<List<ReceivedArtifact>> ofApplication(String application) {
        return list("application = ?1 order by id desc", application);
    }
}
