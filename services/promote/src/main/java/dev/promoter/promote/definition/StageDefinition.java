package dev.promoter.promote.definition;

import java.util.List;
import java.util.Objects;

/** One stage of a pipeline definition: its name (also its registry tag), its test suites and its optional health check. */
public record StageDefinition(String name, List<SuiteDefinition> suites, HealthCheckDefinition health) {

    public StageDefinition {
        Objects.requireNonNull(name, "name");
        suites = List.copyOf(suites);
        // health stays nullable: a stage without a health check is never probed.
    }
}
