package dev.promoter.rollback.history;

import dev.promoter.contracts.HealthCheckPolicy;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** A stage of an application as the rollback service knows it: the digest it runs now and how to probe it. */
@Entity
@Table(name = "stage")
public class Stage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String application;
    public String stage;
    public String repository;
    public String currentDigest;
    /** The deployment history row of the current digest. */
    public Long currentDeploymentId;
    /** When the current digest got there; the health grace period counts from here. */
    public Instant promotedAt;
    public String healthUrl;
    public Long healthIntervalMs;
    public Long healthTimeoutMs;
    public Integer healthFailureThreshold;
    public Integer healthSuccessThreshold;
    public Long healthGracePeriodMs;
    /** The Slack channel told about the stage, or null. */
    public String slackChannel;
    /** Where the stage's runtime is told about every move of its tag, or null. */
    public String deployHookUrl;
    /** The name of the secret that signs the deploy hook's body, or null. */
    public String deployHookSecret;
    /** {@code report} or {@code restore}: what to do when the tag is found moved behind the pipeline's back. */
    public String drift = "report";

    /** How to probe the stage, or null when it has no health checks. */
    public HealthCheckPolicy healthPolicy() {
        if (healthUrl == null) {
            return null;
        }
        return new HealthCheckPolicy(URI.create(healthUrl), Duration.ofMillis(healthIntervalMs),
                Duration.ofMillis(healthTimeoutMs), healthFailureThreshold, healthSuccessThreshold,
                Duration.ofMillis(healthGracePeriodMs));
    }

    /** Keeps the policy of the latest promotion; null removes the health checks. */
    public void healthPolicy(HealthCheckPolicy policy) {
        healthUrl = policy == null ? null : policy.url().toString();
        healthIntervalMs = policy == null ? null : policy.interval().toMillis();
        healthTimeoutMs = policy == null ? null : policy.timeout().toMillis();
        healthFailureThreshold = policy == null ? null : policy.failureThreshold();
        healthSuccessThreshold = policy == null ? null : policy.successThreshold();
        healthGracePeriodMs = policy == null ? null : policy.gracePeriod().toMillis();
    }

    /** Keeps what the latest promotion's stage policy says about Slack, the deploy hook and drift. */
    public void notices(dev.promoter.contracts.StagePolicy policy) {
        slackChannel = policy.slackChannel();
        deployHookUrl = policy.deployHook() == null ? null : policy.deployHook().url().toString();
        deployHookSecret = policy.deployHook() == null ? null : policy.deployHook().secret();
        drift = policy.drift().wireValue();
    }

    /** The stage now runs the deployment's digest, from its {@code movedAt} on. */
    public void runs(Deployment deployment) {
        currentDigest = deployment.digest;
        currentDeploymentId = deployment.id;
        promotedAt = deployment.movedAt;
    }
}
