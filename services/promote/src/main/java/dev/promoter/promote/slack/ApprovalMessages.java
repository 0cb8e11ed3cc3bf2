package dev.promoter.promote.slack;

import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.Gate;
import dev.promoter.promote.gate.GateEvaluation;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.promotion.PromotionRequest;
import dev.promoter.promote.promotion.RequestListener;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Writes the Slack message a promotion request owes, in the transaction that changed the request: the first post
 * when it starts waiting for approvals in a stage with a Slack channel, then an update at every change. The sender
 * delivers them afterwards, so a crash loses none.
 */
@ApplicationScoped
public class ApprovalMessages implements RequestListener, PanacheRepository<SlackMessage> {

    private final DeploymentRepository deployments;

    ApprovalMessages(DeploymentRepository deployments) {
        this.deployments = deployments;
    }

    @Override
    public Uni<Void> changed(PipelineDefinition definition, StageDefinition stage, PromotionRequest request,
                             GateEvaluation evaluation) {
        if (request.slackChannel == null) {
            return Uni.createFrom().voidItem();
        }
        boolean asksForApproval = evaluation != null
                && evaluation.gates().stream().anyMatch(g -> g.gate() == Gate.APPROVALS);
        return count("requestId = ?1", request.id).chain(owed -> {
            // Nobody was asked yet, and nobody needs to be: no message.
            if (owed == 0 && !asksForApproval) {
                return Uni.createFrom().voidItem();
            }
            return deployments.current(request.application, request.stage).chain(current -> {
                SlackMessage message = new SlackMessage();
                message.requestId = request.id;
                message.text = ApprovalBlocks.text(request);
                message.blocks = ApprovalBlocks.blocks(request, current == null ? null : current.digest,
                        request.fromStage == null ? "no stage before " + request.stage
                                : "suites of " + request.fromStage + " passed").toString();
                message.nextAttemptAt = Instant.now();
                return persist(message).replaceWithVoid();
            });
        });
    }
}
