package dev.promoter.promote.history;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Quarantined digests per stage. */
@ApplicationScoped
public class QuarantineRepository implements PanacheRepository<Quarantine> {

    public Uni<List<Quarantine>> ofApplication(String application) {
        return list("application", application);
    }

    public Uni<Boolean> isQuarantined(String application, String stage, String digest) {
        return count("application = ?1 and stage = ?2 and digest = ?3", application, stage, digest).map(n -> n > 0);
    }

    /** True when the digest is quarantined in any stage: it may then enter no later stage either. */
    public Uni<Boolean> isQuarantinedAnywhere(String application, String digest) {
        return count("application = ?1 and digest = ?2", application, digest).map(n -> n > 0);
    }

    /** One of the digest's quarantines (the earliest), or null when it is quarantined nowhere. */
    public Uni<Quarantine> anyOf(String application, String digest) {
        return find("application = ?1 and digest = ?2 order by quarantinedAt", application, digest).firstResult();
    }

    /** Removes the digest's quarantine in the stage; returns how many rows went (0 or 1). */
    public Uni<Long> lift(String application, String stage, String digest) {
        return delete("application = ?1 and stage = ?2 and digest = ?3", application, stage, digest);
    }
}
