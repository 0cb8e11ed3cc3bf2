package dev.promoter.rollback.quarantine;

import dev.promoter.contracts.ArtifactUnquarantined;
import dev.promoter.contracts.Digest;
import dev.promoter.messaging.Outbox;
import dev.promoter.messaging.Transactions;
import dev.promoter.rollback.history.ApplicationLock;
import dev.promoter.rollback.history.Quarantine;
import dev.promoter.rollback.history.QuarantineRepository;
import dev.promoter.rollback.history.DeploymentRepository;
import dev.promoter.rollback.history.StageRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Lifts a quarantine on a person's word, so the digest can be a rollback target in the stage again, and audits it. */
@ApplicationScoped
public class QuarantineService {

    private static final Logger LOG = Logger.getLogger(QuarantineService.class);

    private final Transactions transactions;
    private final QuarantineRepository quarantines;
    private final QuarantineLiftRepository lifts;
    private final StageRepository stages;
    private final DeploymentRepository deployments;
    private final Outbox outbox;

    QuarantineService(Transactions transactions, QuarantineRepository quarantines, QuarantineLiftRepository lifts,
                      StageRepository stages, DeploymentRepository deployments, Outbox outbox) {
        this.deployments = deployments;
        this.transactions = transactions;
        this.quarantines = quarantines;
        this.lifts = lifts;
        this.stages = stages;
        this.outbox = outbox;
    }

    /**
     * Removes the digest's quarantine in the stage and records who lifted it, when and why, in one transaction under
     * the application's lock, which also writes {@code promoter-artifact.unquarantined} to the outbox so promote lets
     * the digest be promoted again. Returns false, changing nothing, when the digest is not quarantined there.
     */
    public Uni<Boolean> lift(String application, String stage, String digest, String reason, String liftedBy) {
        return transactions.inTransaction(() -> ApplicationLock.take(application)
                .chain(() -> quarantines.of(application, stage, digest))
                .chain(quarantine -> quarantine == null ? Uni.createFrom().item(false)
                        : lifts.persist(audit(quarantine, reason, liftedBy))
                                .chain(() -> quarantines.delete(quarantine))
                                .chain(() -> announce(quarantine, reason, liftedBy))
                                .invoke(() -> LOG.warnf("%s lifted the quarantine of %s in %s/%s (quarantined since %s"
                                                + " because %s): %s", liftedBy, digest, application, stage,
                                        quarantine.quarantinedAt, quarantine.reason, reason))
                                .replaceWith(true)));
    }

    private Uni<Void> announce(Quarantine quarantine, String reason, String liftedBy) {
        // The event follows the digest's journey: the chain id of the move that last brought it into the stage.
        return stages.find(quarantine.application, quarantine.stage).chain(stage -> deployments
                .ofStage(quarantine.application, quarantine.stage).chain(history -> outbox.append(
                        new ArtifactUnquarantined(quarantine.application, stage.repository, quarantine.stage,
                                Digest.parse(quarantine.digest), reason, liftedBy),
                        history.stream().filter(d -> d.digest.equals(quarantine.digest))
                                .reduce((first, second) -> second).map(d -> d.chainId)
                                .orElse(java.util.UUID.randomUUID().toString()))))
                .replaceWithVoid();
    }

    private static QuarantineLift audit(Quarantine quarantine, String reason, String liftedBy) {
        QuarantineLift lift = new QuarantineLift();
        lift.application = quarantine.application;
        lift.stage = quarantine.stage;
        lift.digest = quarantine.digest;
        lift.quarantineReason = quarantine.reason;
        lift.quarantinedAt = quarantine.quarantinedAt;
        lift.liftedBy = liftedBy;
        lift.liftedAt = Instant.now();
        lift.reason = reason;
        return lift;
    }
}
