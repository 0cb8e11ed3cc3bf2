package dev.promoter.test.suite;

import dev.promoter.contracts.SuitePolicy;

/**
 * One suite of a stage to run against the artifact that entered it.
 *
 * @param entry   the artifact in the stage, with the stage's policy
 * @param suite   the suite, one of {@code entry.policy().suites()}
 * @param chainId the correlation id of the artifact's journey, carried on to the result
 */
record SuiteTarget(StageEntry entry, SuitePolicy suite, String chainId) {
}
