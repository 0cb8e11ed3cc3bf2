package dev.promoter.promote.promotion;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.HealthCheckPolicy;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.promote.definition.HealthCheckDefinition;
import dev.promoter.promote.definition.StageDefinition;

/** What a promotion event tells the test and rollback services about the stage it entered. */
final class StagePolicies {

    private StagePolicies() {
    }

    static StagePolicy of(StageDefinition stage) {
        var suites = stage.suites().stream()
                .map(s -> new SuitePolicy(s.name(), s.kind(), s.requiredLabels(), s.nonRoot(), s.maxSizeBytes(),
                        s.retries(), s.allowedPlatforms(), s.baseImageDigests().stream().map(Digest::parse).toList(),
                        s.http(), s.external()))
                .toList();
        HealthCheckDefinition h = stage.health();
        HealthCheckPolicy health = h == null ? null : new HealthCheckPolicy(h.url(), h.interval(), h.timeout(),
                h.failureThreshold(), h.successThreshold(), h.gracePeriod());
        return new StagePolicy(suites, health, stage.slackChannel(), stage.deployHook(), stage.drift());
    }
}
