package dev.promoter.contracts;

import java.util.List;

/** The pipeline's Kafka topics, the one place that names them; every record's key is the application name. */
public final class Topics {

    public static final Topic ARTIFACTS =
            new Topic("pipeline.artifacts.v1", "artifact.published", "build");
    public static final Topic TEST_RESULTS =
            new Topic("pipeline.test-results.v1", "testsuiterun.finished", "test");
    public static final Topic PROMOTIONS =
            new Topic("pipeline.promotions.v1", "service.deployed, service.upgraded", "promote");
    public static final Topic ROLLBACKS =
            new Topic("pipeline.rollbacks.v1", "service.rolledback, promoter-artifact.quarantined,"
                    + " promoter-artifact.unquarantined, promoter-stage.drifted, promoter-rollback.held", "rollback");

    /**
     * Pipeline definitions as saved, for services that need an application's source or stages; compacted, so the
     * newest definition of each application stays. Not in {@link #all()}: no artifact travels on it.
     */
    public static final Topic DEFINITIONS =
            new Topic("pipeline.definitions.v1", "promoter-pipeline.defined", "promote");

    public static final Topic HEALTH =
            new Topic("pipeline.health.v1", "promoter-service.healthy", "rollback");

    private static final List<Topic> ALL = List.of(ARTIFACTS, TEST_RESULTS, PROMOTIONS, ROLLBACKS, HEALTH);

    private Topics() {
    }

    /** Every topic, in the order an artifact meets them. */
    public static List<Topic> all() {
        return ALL;
    }
}
