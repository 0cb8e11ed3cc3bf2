package dev.promoter.promote.definition;

import dev.promoter.contracts.DeployHookPolicy;
import dev.promoter.contracts.DriftPolicy;
import java.util.List;
import java.util.Objects;

/**
 * One stage of a pipeline definition: its name (also its registry tag), its test suites, its optional health check
 * the Slack channel told about it, if any, its deploy hook, if any, and what to do about drift of its tag.
 */
public record StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                              String slackChannel, DeployHookPolicy deployHook, DriftPolicy drift) {

    public StageDefinition {
        Objects.requireNonNull(name, "name");
        suites = List.copyOf(suites);
        // health and slackChannel stay nullable: a stage without them is never probed, and nobody is told in Slack.
        drift = drift == null ? DriftPolicy.REPORT : drift;
    }

    /** A stage without a deploy hook that reports drift of its tag. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health,
                           String slackChannel) {
        this(name, suites, health, slackChannel, null, DriftPolicy.REPORT);
    }

    /** A stage that posts nowhere in Slack. */
    public StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health) {
        this(name, suites, health, null);
    }
}
