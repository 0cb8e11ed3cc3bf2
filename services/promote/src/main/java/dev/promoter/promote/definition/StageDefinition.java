package dev.promoter.promote.definition;

import java.util.List;
import java.util.Objects;

/**
 * One stage of a pipeline definition: its name (also its registry tag), its test suites, its optional health check
 * and the Slack channel told about it, if any.
 */
public record StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                              String slackChannel) {

    public StageDefinition {
        Objects.requireNonNull(name, "name");
        suites = List.copyOf(suites);
        // health and slackChannel stay nullable: a stage without them is never probed, and nobody is told in Slack.
    }

    /** A stage that posts nowhere in Slack. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health) {
        this(name, suites, health, null);
    }
}
