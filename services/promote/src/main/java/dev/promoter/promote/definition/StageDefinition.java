package dev.promoter.promote.definition;

import dev.promoter.contracts.DeployHookPolicy;
import dev.promoter.contracts.DriftPolicy;
import java.util.List;
import java.util.Objects;

/**
 * One stage of a pipeline definition: its name (also its registry tag), its test suites, its optional health check,
 * the Slack channel told about it, if any, whether digests enter it by themselves or by hand, its gates, its deploy
 * hook, if any, and what to do about drift of its tag.
 */
public record StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                              String slackChannel, PromotionMode promotion, GateDefinition gates,
                              DeployHookPolicy deployHook, DriftPolicy drift) {

    public StageDefinition {
        Objects.requireNonNull(name, "name");
        suites = List.copyOf(suites);
        // health, slackChannel and deployHook stay nullable: a stage without them is never probed, nobody is told in
        // Slack, and no runtime is called after a move.
        promotion = promotion == null ? PromotionMode.AUTO : promotion;
        gates = gates == null ? GateDefinition.NONE : gates;
        drift = drift == null ? DriftPolicy.REPORT : drift;
    }

    /** A stage without a deploy hook that reports drift of its tag. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                           String slackChannel, PromotionMode promotion, GateDefinition gates) {
        this(name, suites, health, slackChannel, promotion, gates, null, DriftPolicy.REPORT);
    }

    /** A stage promoted automatically, with no gates but its previous stage's suites. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                           String slackChannel, DeployHookPolicy deployHook, DriftPolicy drift) {
        this(name, suites, health, slackChannel, PromotionMode.AUTO, GateDefinition.NONE, deployHook, drift);
    }

    /** A stage promoted automatically, with no gates, no deploy hook, reporting drift of its tag. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                           String slackChannel) {
        this(name, suites, health, slackChannel, PromotionMode.AUTO, GateDefinition.NONE, null, DriftPolicy.REPORT);
    }

    /** A stage that posts nowhere in Slack. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health) {
        this(name, suites, health, null);
    }
}
