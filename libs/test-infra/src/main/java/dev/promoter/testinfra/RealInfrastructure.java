package dev.promoter.testinfra;

import dev.promoter.stack.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Quarkus test resource that points a service at the real Kafka, PostgreSQL and registry, with a
 * database and a topic prefix of the test class's own, so test classes never see each other's
 * data or events.
 *
 * <p>Init arg {@code kafka=dedicated} gives the class a broker of its own that it may stop; inject
 * it with a {@link KafkaUnderTest} field annotated {@link InjectKafka}.
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {

    private boolean dedicatedKafka;
    private KafkaUnderTest kafka;

    @Override
    public void init(Map<String, String> initArgs) {
        dedicatedKafka = "dedicated".equals(initArgs.get("kafka"));
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = Infrastructure.shared();
        kafka = dedicatedKafka ? Infrastructure.startKafka() : infra.kafka();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String database = "t_" + id;
        PostgresServer postgres = infra.postgres();
        PostgresServer.createDatabase(postgres.jdbcUrl("postgres"), PostgresServer.USER, "", database);

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("pipeline.topic-prefix", "t" + id + ".");
        // Every test class provisions its own prefixed topics; two partitions each keep the one test broker small.
        config.put("pipeline.topics.max-partitions", "2");
        config.put("quarkus.datasource.username", PostgresServer.USER);
        config.put("quarkus.datasource.password", "");
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", postgres.jdbcUrl(database).replaceFirst("^jdbc:", ""));
        config.put("pipeline.registry.address", infra.registry().hostPort());
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(InjectKafka.class, KafkaUnderTest.class));
    }

    @Override
    public void stop() {
        if (dedicatedKafka) {
            kafka.stop();
        }
    }
}
