package dev.promoter.contracts;

/** A fact one pipeline service tells the others, carried on Kafka as a CDEvent. */
public sealed interface PipelineEvent
        permits ArtifactPublished, TestSuiteRunFinished, ServiceDeployed, ServiceUpgraded, ServiceRolledBack,
        ArtifactQuarantined, PipelineDefined, ServiceHealthy, ArtifactUnquarantined, StageDrifted,
        RollbackHeld {

    /** The application the fact is about; also the Kafka record key, so its events stay in order. */
    String application();

    /** The CDEvents {@code context.type}. */
    String type();

    /** The CDEvents {@code subject.id}, also the CloudEvents {@code subject}. */
    String subjectId();

    /** The topic this fact is published on. */
    Topic topic();
}
