package dev.promoter.promote.slack;

import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.Gate;
import dev.promoter.promote.gate.GateEvaluation;
import dev.promoter.promote.history.DeploymentRepository;
import dev.promoter.promote.promotion.PromotionRequest;
import dev.promoter.promote.promotion.RequestListener;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Queues the Slack message a promotion request owes, in the transaction that changed the request: the first post
 * when it starts waiting for approvals in a stage with a Slack channel, then an update at every change. They are
 * durable outgoing calls ({@link ApprovalMessageSender} delivers them), so a crash loses none.
 */
@ApplicationScoped
public class ApprovalMessages implements RequestListener {

    private final DeploymentRepository deployments;
    private final OutgoingCalls calls;

    ApprovalMessages(DeploymentRepository deployments, OutgoingCalls calls) {
        this.deployments = deployments;
        this.calls = calls;
    }

    @Override
    public Uni<Void> changed(PipelineDefinition definition, StageDefinition stage, PromotionRequest request,
                             GateEvaluation evaluation) {
        if (request.slackChannel == null) {
            return Uni.createFrom().voidItem();
        }
        boolean asksForApproval = evaluation != null
                && evaluation.gates().stream().anyMatch(g -> g.gate() == Gate.APPROVALS);
        return calls.queued(ApprovalMessageSender.KIND, ApprovalMessageSender.key(request.id)).chain(owed -> {
            // Nobody was asked yet, and nobody needs to be: no message.
            if (!owed && !asksForApproval) {
                return Uni.createFrom().voidItem();
            }
            return deployments.current(request.application, request.stage).chain(current -> calls.enqueue(
                    ApprovalMessageSender.message(request.id, request.application, request.stage, request.digest,
                            request.slackChannel, ApprovalBlocks.text(request),
                            ApprovalBlocks.blocks(request, current == null ? null : current.digest,
                                    request.fromStage == null ? "no stage before " + request.stage
                                            : "suites of " + request.fromStage + " passed"))));
        });
    }
}
