package dev.promoter.promote.definition;

import dev.promoter.contracts.Topics;
import dev.promoter.messaging.TopicNames;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Makes {@code pipeline.definitions.v1} a compacted topic. Other services (build) rebuild their view of every
 * application's definition from it, so the newest definition of each application must stay however old it is; a topic
 * left to the broker's auto-creation would delete it after the default retention. Kept trying in the background until
 * it succeeds, so promote starts (and saves definitions to its outbox) while Kafka is away.
 */
@ApplicationScoped
class DefinitionsTopic {

    private static final Logger LOG = Logger.getLogger(DefinitionsTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> adminConfig = new HashMap<>();
    private final String name;
    private volatile boolean compacted;

    DefinitionsTopic(@Identifier("default-kafka-broker") Map<String, Object> kafka, TopicNames topics) {
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
        this.name = topics.of(Topics.DEFINITIONS);
    }

    @Scheduled(every = "${promote.definitions-topic.check-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void ensureCompacted() {
        if (compacted) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            ensureCompacted(admin, name);
            compacted = true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("could not make %s a compacted topic yet (%s); trying again", name,
                    e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates the topic compacted, or makes an existing one (say, auto-created by a first send) compacted. */
    static void ensureCompacted(Admin admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("created %s as a compacted topic", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                                new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                                AlterConfigOp.OpType.SET))))
                        .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof("made %s compacted (it was %s)", topic, policy);
            }
        }
    }
}
