package dev.promoter.rollback.promotion;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.PipelineEvent;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import java.util.Optional;

/**
 * A promotion into a stage as the rollback service needs it, whether it was the stage's first
 * ({@code service.deployed}) or a move ({@code service.upgraded}).
 *
 * @param health how to probe the stage from now on, or null when it has no health checks
 * @param policy the stage's whole policy (Slack channel, deploy hook, drift)
 * @param event  the promotion event itself, passed on to the stage's deploy hook
 */
record ReceivedPromotion(String application, String repository, String stage, Digest digest, String reason, String actor,
                 HealthCheckPolicy health, StagePolicy policy, PipelineEvent event) {

    /** The promotion an event announces; empty for any other event. */
    static Optional<ReceivedPromotion> of(PipelineEvent event) {
        if (event instanceof ServiceDeployed deployed) {
            return Optional.of(new ReceivedPromotion(deployed.application(), deployed.repository(), deployed.stage(),
                    deployed.digest(), deployed.reason(), deployed.actor(), deployed.policy().health(),
                    deployed.policy(), deployed));
        }
        if (event instanceof ServiceUpgraded upgraded) {
            return Optional.of(new ReceivedPromotion(upgraded.application(), upgraded.repository(), upgraded.stage(),
                    upgraded.digest(), upgraded.reason(), upgraded.actor(), upgraded.policy().health(),
                    upgraded.policy(), upgraded));
        }
        return Optional.empty();
    }

    /** Why the stage's tag moved, as the deployment history shows it. */
    String historyReason() {
        if (reason != null) {
            return reason;
        }
        return actor == null ? "promoted" : "promoted by " + actor;
    }
}
