package dev.promoter.promote.definition;

import java.util.List;
import java.util.Objects;

/**
 * One stage of a pipeline definition: its name (also its registry tag), its test suites, its optional health check,
 * the Slack channel told about it, if any, whether digests enter it by themselves or by hand, and its gates.
 */
public record StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                              String slackChannel, PromotionMode promotion, GateDefinition gates) {

    public StageDefinition {
        Objects.requireNonNull(name, "name");
        suites = List.copyOf(suites);
        // health and slackChannel stay nullable: a stage without them is never probed, and nobody is told in Slack.
        promotion = promotion == null ? PromotionMode.AUTO : promotion;
        gates = gates == null ? GateDefinition.NONE : gates;
    }

    /** A stage promoted automatically, with no gates but its previous stage's suites. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                           String slackChannel) {
        this(name, suites, health, slackChannel, PromotionMode.AUTO, GateDefinition.NONE);
    }

    /** A stage that posts nowhere in Slack. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health) {
        this(name, suites, health, null);
    }
}
