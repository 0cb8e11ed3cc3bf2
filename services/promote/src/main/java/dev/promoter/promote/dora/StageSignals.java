package dev.promoter.promote.dora;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The stages' health signals, kept for DORA's change failure rate and time to restore. */
@ApplicationScoped
public class StageSignals implements PanacheRepository<StageSignal> {

    /** Records the signal once per event; must run in the transaction that applies the event. */
    public Uni<Void> record(String application, String stage, String digest, boolean healthy, Instant at,
                            String eventId) {
        return find("eventId", eventId).firstResult().chain(known -> {
            if (known != null) {
                return Uni.createFrom().voidItem();
            }
            StageSignal signal = new StageSignal();
            signal.application = application;
            signal.stage = stage;
            signal.digest = digest;
            signal.healthy = healthy;
            signal.signalledAt = at;
            signal.eventId = eventId;
            return persist(signal).replaceWithVoid();
        });
    }

    Uni<List<StageSignal>> of(String application, String stage) {
        return list("application = ?1 and stage = ?2 order by signalledAt", application, stage);
    }
}
