package dev.promoter.rollback.history;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/** Quarantined digests per stage. */
@ApplicationScoped
public class QuarantineRepository implements PanacheRepository<Quarantine> {

    /** The digests quarantined in the stage. */
    public Uni<Set<String>> digests(String application, String stage) {
        return list("application = ?1 and stage = ?2", application, stage)
                .map(all -> all.stream().map(q -> q.digest).collect(Collectors.toSet()));
    }

    /** The digest's quarantine in the stage, or null when it is not quarantined there. */
    public Uni<Quarantine> of(String application, String stage, String digest) {
        return find("application = ?1 and stage = ?2 and digest = ?3", application, stage, digest).firstResult();
    }

    /** Quarantines the digest in the stage; a digest quarantined there already keeps its first reason. */
    public Uni<Void> quarantine(String application, String stage, String digest, String reason, Instant at) {
        return count("application = ?1 and stage = ?2 and digest = ?3", application, stage, digest).chain(found -> {
            if (found > 0) {
                return Uni.createFrom().voidItem();
            }
            Quarantine quarantine = new Quarantine();
            quarantine.application = application;
            quarantine.stage = stage;
            quarantine.digest = digest;
            quarantine.reason = reason;
            quarantine.quarantinedAt = at;
            return persist(quarantine).replaceWithVoid();
        });
    }
}
