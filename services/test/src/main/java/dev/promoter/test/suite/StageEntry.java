package dev.promoter.test.suite;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;

/**
 * An artifact entered a stage (a first deployment or an upgrade alike): what the suites of the stage
 * need to know to run against it.
 *
 * @param application the application
 * @param repository  the OCI repository holding the artifact, e.g. {@code 127.0.0.1:15000/shop/cart}
 * @param stage       the stage it entered
 * @param digest      the artifact
 * @param policy      the stage's policy as the promotion carried it
 */
record StageEntry(String application, String repository, String stage, Digest digest, StagePolicy policy) {

    static StageEntry of(ServiceDeployed event) {
        return new StageEntry(event.application(), event.repository(), event.stage(), event.digest(), event.policy());
    }

    static StageEntry of(ServiceUpgraded event) {
        return new StageEntry(event.application(), event.repository(), event.stage(), event.digest(), event.policy());
    }
}
