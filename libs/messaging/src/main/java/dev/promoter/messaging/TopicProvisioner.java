package dev.promoter.messaging;

import dev.promoter.contracts.TopicDefinitions;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the pipeline's topics at start, from contracts' {@link TopicDefinitions}, unless
 * {@code pipeline.topics.provision=false} (on Kubernetes Strimzi's Topic Operator owns them). Kept trying in the
 * background until it succeeds, so a service starts (and fills its outbox) while Kafka is away.
 */
@ApplicationScoped
class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_MILLIS = 10_000;

    private final Map<String, Object> adminConfig = new HashMap<>();
    private final boolean enabled;
    private final String prefix;
    private final int maxPartitions;
    private volatile boolean done;

    TopicProvisioner(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                     @ConfigProperty(name = "pipeline.topics.provision", defaultValue = "true") boolean enabled,
                     @ConfigProperty(name = "pipeline.topic-prefix") Optional<String> prefix,
                     @ConfigProperty(name = "pipeline.topics.max-partitions") Optional<Integer> maxPartitions) {
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        // The services shorten default.api.timeout.ms (5 s) so readiness answers fast; an admin client refuses a
        // request timeout longer than that, and the default one is 30 s.
        Object apiTimeout = adminConfig.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        if (apiTimeout != null) {
            adminConfig.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, apiTimeout);
        }
        this.enabled = enabled;
        this.prefix = prefix.orElse("");
        this.maxPartitions = maxPartitions.orElse(Integer.MAX_VALUE);
    }

    @Scheduled(every = "${pipeline.topics.retry-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void provision() {
        if (done || !enabled) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            new TopicProvisioning(admin, prefix, maxPartitions, TIMEOUT_MILLIS).ensure(TopicDefinitions.all())
                    .forEach(LOG::info);
            done = true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("could not provision the pipeline's topics yet (%s); trying again", e.getCause() == null
                    ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
