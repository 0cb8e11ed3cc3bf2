package dev.promoter.rollback.health;

import dev.promoter.contracts.RollbackTarget;
import dev.promoter.rollback.history.CurrentMove;
import dev.promoter.rollback.history.Deployment;
import dev.promoter.rollback.history.DeploymentRepository;
import dev.promoter.rollback.history.QuarantineRepository;
import dev.promoter.rollback.history.Stage;
import dev.promoter.rollback.history.StageRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Reads which stages must be probed, as of which deployment and with which rollback target, from the recorded state. */
@ApplicationScoped
public class WatchedStages {

    private final StageRepository stages;
    private final DeploymentRepository deployments;

    WatchedStages(StageRepository stages, DeploymentRepository deployments) {
        this.stages = stages;
        this.deployments = deployments;
    }

    /**
     * The stage to probe, or empty when it must not be: unknown, without health checks, or holding a digest
     * already found unhealthy (held: probing it again would only repeat the verdict). Needs a session.
     */
    public Uni<Optional<WatchedStage>> of(String application, String stage) {
        return stages.find(application, stage).chain(found -> found == null || found.healthPolicy() == null
                ? Uni.createFrom().item(Optional.<WatchedStage>empty())
                : of(found));
    }

    /** Every stage to probe, e.g. on start. Needs a session. */
    public Uni<List<WatchedStage>> all() {
        return all(application -> true);
    }

    /**
     * Every stage to probe of the applications the predicate accepts (the replica's own, see PromotionPartitions). Needs
     * a session.
     */
    public Uni<List<WatchedStage>> all(Predicate<String> applications) {
        return stages.probed().chain(probed -> {
            Uni<List<WatchedStage>> watched = Uni.createFrom().item(new ArrayList<>());
            // One after the other: a session runs one query at a time.
            for (Stage stage : probed) {
                if (!applications.test(stage.application)) {
                    continue;
                }
                watched = watched.chain(list -> of(stage).map(one -> {
                    one.ifPresent(list::add);
                    return list;
                }));
            }
            return watched;
        });
    }

    /**
     * The stage's watch from a bounded window, whatever the length of its history: its current move (a projection)
     * and its rollback target (chosen by the database), two reads.
     */
    private Uni<Optional<WatchedStage>> of(Stage stage) {
        if (stage.healthPolicy() == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return current(stage);
    }

    /**
     * The stage's current deployment as a verdict from outside the prober acts on it (an Alertmanager alert), probed or
     * not, read from the same bounded window. Needs a session.
     */
    public Uni<Optional<WatchedStage>> current(Stage stage) {
        if (stage.currentDeploymentId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return deployments.move(stage.currentDeploymentId).chain(current -> current == null
                ? Uni.createFrom().item(Optional.<WatchedStage>empty())
                : deployments.rollbackTarget(stage.application, stage.stage, current.digest())
                        .map(target -> current(stage, current, target)));
    }

    /**
     * The watch of the stage from its current move and rollback target: empty when it has no health checks or its
     * current digest was already found unhealthy.
     */
    public static Optional<WatchedStage> watched(Stage stage, CurrentMove current,
                                                 Optional<WatchedStage.Target> target) {
        if (stage.healthPolicy() == null) {
            return Optional.empty();
        }
        return current(stage, current, target);
    }

    /**
     * The stage's current deployment as a verdict acts on it, probed or not (an Alertmanager alert): empty when its
     * current digest was already found unhealthy or is not the stage's current move.
     */
    public static Optional<WatchedStage> current(Stage stage, CurrentMove current,
                                                 Optional<WatchedStage.Target> target) {
        if (current == null || current.unhealthy() || !Long.valueOf(current.id()).equals(stage.currentDeploymentId)) {
            return Optional.empty();
        }
        return Optional.of(new WatchedStage(stage.application, stage.stage, stage.repository, current.digest(),
                current.id(), current.chainId(), stage.healthPolicy(), stage.promotedAt, current.healthy(),
                target.orElse(null)));
    }

    /**
     * The watch of the stage as its history says: its newest move is what it runs. Empty when it has no health
     * checks or its current digest was already found unhealthy.
     */
    public static Optional<WatchedStage> watched(Stage stage, List<Deployment> history, Set<String> quarantined) {
        if (stage.healthPolicy() == null || history.isEmpty()) {
            return Optional.empty();
        }
        Deployment current = history.get(history.size() - 1);
        if (current.isUnhealthy() || !current.id.equals(stage.currentDeploymentId)) {
            return Optional.empty();
        }
        return Optional.of(new WatchedStage(stage.application, stage.stage, stage.repository, current.digest, current.id,
                current.chainId, stage.healthPolicy(), stage.promotedAt, current.isHealthy(),
                rollbackTarget(history, quarantined).orElse(null)));
    }

    /**
     * The stage's current deployment as a verdict from outside the prober (an Alertmanager alert) acts on it, probed
     * or not. Empty when the stage has no history or its current digest was already found unhealthy.
     */
    public static Optional<WatchedStage> current(Stage stage, List<Deployment> history, Set<String> quarantined) {
        if (history.isEmpty()) {
            return Optional.empty();
        }
        Deployment current = history.get(history.size() - 1);
        if (current.isUnhealthy() || !current.id.equals(stage.currentDeploymentId)) {
            return Optional.empty();
        }
        return Optional.of(new WatchedStage(stage.application, stage.stage, stage.repository, current.digest, current.id,
                current.chainId, stage.healthPolicy(), stage.promotedAt, current.isHealthy(),
                rollbackTarget(history, quarantined).orElse(null)));
    }

    /** Where a rollback would take the stage now, with the correlation id of the move that last brought it there. */
    public static Optional<WatchedStage.Target> rollbackTarget(List<Deployment> history, Set<String> quarantined) {
        return RollbackTarget.choose(history.stream().map(d -> new RollbackTarget.Move(d.digest, d.isHealthy())).toList(),
                        quarantined)
                .map(digest -> new WatchedStage.Target(digest, history.stream().filter(d -> d.digest.equals(digest))
                        .reduce((first, second) -> second).orElseThrow().chainId));
    }
}
