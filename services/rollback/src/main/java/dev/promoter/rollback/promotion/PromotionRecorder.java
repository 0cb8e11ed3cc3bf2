package dev.promoter.rollback.promotion;

import dev.promoter.contracts.EventContext;
import dev.promoter.rollback.history.ApplicationLock;
import dev.promoter.rollback.history.Deployment;
import dev.promoter.rollback.history.DeploymentRepository;
import dev.promoter.rollback.history.Stage;
import dev.promoter.rollback.history.StageRepository;
import dev.promoter.rollback.outgoing.StageCalls;
import dev.promoter.messaging.Traces;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Keeps the rollback service's own view of each stage from promotion events: the digest it runs, the policy to
 * probe it by, and a row in its deployment history per move. Called inside the transaction
 * {@code IncomingEvents} opens, so an event is applied exactly once.
 */
@ApplicationScoped
public class PromotionRecorder {

    private static final Logger LOG = Logger.getLogger(PromotionRecorder.class);

    private final StageRepository stages;
    private final DeploymentRepository deployments;
    private final StageCalls calls;

    PromotionRecorder(StageRepository stages, DeploymentRepository deployments, StageCalls calls) {
        this.stages = stages;
        this.deployments = deployments;
        this.calls = calls;
    }

    /**
     * Records that the stage runs the promoted digest since the event's time. A promotion of the digest the stage
     * already runs only refreshes the stage's repository and policy: its history keeps one row per move.
     */
    Uni<Void> record(ReceivedPromotion promotion, EventContext context) {
        return ApplicationLock.take(promotion.application())
                .chain(() -> stages.find(promotion.application(), promotion.stage()))
                .chain(stage -> {
                    if (stage != null && stage.currentDigest.equals(promotion.digest().value())) {
                        stage.repository = promotion.repository();
                        stage.healthPolicy(promotion.health());
                        stage.notices(promotion.policy());
                        LOG.debugf("%s already runs %s in %s; policy refreshed", promotion.application(),
                                promotion.digest().shortForm(), promotion.stage());
                        return Uni.createFrom().voidItem();
                    }
                    Deployment deployment = Deployment.promotion(promotion.application(), promotion.stage(),
                            promotion.digest().value(), promotion.historyReason(), context.chainId(), context.timestamp());
                    deployment.actor = promotion.actor();
                    deployment.traceparent = Traces.currentTraceparent();
                    return deployments.persistAndFlush(deployment).chain(() -> {
                        Stage updated = stage == null ? newStage(promotion) : stage;
                        updated.repository = promotion.repository();
                        updated.healthPolicy(promotion.health());
                        updated.notices(promotion.policy());
                        updated.runs(deployment);
                        LOG.infof("%s runs %s in %s since %s (%s)%s", promotion.application(),
                                promotion.digest().shortForm(), promotion.stage(), deployment.movedAt,
                                deployment.reason, promotion.health() == null ? "; no health checks, not probed" : "");
                        // Promote moved the tag; the stage's runtime is told here, so it is told even while
                        // promote is down afterwards, and by the same queue as the rollbacks' hooks (in order).
                        return (stage == null ? stages.persist(updated).replaceWithVoid() : Uni.createFrom().voidItem())
                                .chain(() -> calls.deployHook(updated, promotion.event(), context,
                                        promotion.digest().value()));
                    });
                });
    }

    private static Stage newStage(ReceivedPromotion promotion) {
        Stage stage = new Stage();
        stage.application = promotion.application();
        stage.stage = promotion.stage();
        return stage;
    }
}
