package dev.promoter.contracts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stage does with an artifact that just entered it, carried in the promotion event so the test and rollback
 * services act on it without asking the promote service, which may be down.
 *
 * @param suites the suites to run, names unique; empty when the stage has nothing to test and promotes on
 * @param health how to probe the stage's health, or null when the stage has no health checks
 * @param slackChannel the Slack channel (ID like C0123ABCD, or #name) told about what happens to the stage, or null
 *                     when nobody is told there
 * @param deployHook where the stage's runtime is told about every move of its tag, or null when nobody is
 * @param drift      what to do when the stage's tag is found moved behind the pipeline's back; never null
 *                   ({@link DriftPolicy#REPORT} when not given)
 */
public record StagePolicy(List<SuitePolicy> suites, HealthCheckPolicy health, String slackChannel,
                          DeployHookPolicy deployHook, DriftPolicy drift) {

    /** A stage that posts nowhere in Slack. */
    public StagePolicy(List<SuitePolicy> suites, HealthCheckPolicy health) {
        this(suites, health, null);
    }

    /** A stage without a deploy hook that reports drift. */
    public StagePolicy(List<SuitePolicy> suites, HealthCheckPolicy health, String slackChannel) {
        this(suites, health, slackChannel, null, DriftPolicy.REPORT);
    }

    public StagePolicy {
        if (suites == null) {
            throw new IllegalArgumentException("suites must not be null; use an empty list when the stage has"
                    + " nothing to test");
        }
        // Test results are reported per suite name, so two suites of one name could not be told apart.
        Map<String, Integer> indexByName = new HashMap<>();
        for (int i = 0; i < suites.size(); i++) {
            SuitePolicy suite = Require.present(suites.get(i), "suites[" + i + "]");
            Integer first = indexByName.putIfAbsent(suite.name(), i);
            if (first != null) {
                throw new IllegalArgumentException("suites[" + i + "] has the name " + Require.quote(suite.name())
                        + " of suites[" + first + "]; give every suite of a stage its own name");
            }
        }
        suites = List.copyOf(suites);
        if (slackChannel != null) {
            Require.slackChannel(slackChannel, "slackChannel");
        }
        drift = drift == null ? DriftPolicy.REPORT : drift;
    }
}
