package dev.promoter.testinfra;

import dev.promoter.stack.KafkaBroker;
import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.OciRegistry;
import dev.promoter.stack.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real broker, database server and registry shared by all tests of one JVM, started on first
 * use on free loopback ports and stopped when the JVM exits.
 *
 * <p>Kafka comes from Testcontainers when a Docker engine answers, otherwise (here and in CI) it is
 * the embedded KRaft broker that {@code ./pipeline up} runs too. PIPELINE_TEST_KAFKA=embedded or
 * =testcontainers forces the choice.
 */
public final class Infrastructure {

    private static final AtomicInteger BROKERS = new AtomicInteger();
    private static Infrastructure shared;

    private final KafkaUnderTest kafka;
    private final PostgresServer postgres;
    private final OciRegistry registry;

    private Infrastructure(KafkaUnderTest kafka, PostgresServer postgres, OciRegistry registry) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
    }

    /** The JVM-wide infrastructure, started on the first call. */
    public static synchronized Infrastructure shared() {
        if (shared == null) {
            Path root = workDir("shared");
            // Each part is stopped at exit as soon as it runs, even if a later one fails to start.
            OciRegistry registry = new OciRegistry(root, LoopbackPorts.free());
            Runtime.getRuntime().addShutdownHook(new Thread(registry::stop, "stop-registry"));
            registry.start(false);
            PostgresServer postgres = PostgresServer.start(root.resolve("postgres-data"), LoopbackPorts.free(), false);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-postgres"));
            shared = new Infrastructure(startKafka(), postgres, registry);
        }
        return shared;
    }

    /** A broker of the caller's own, for tests that stop it; stopped at JVM exit if still running. */
    public static KafkaUnderTest startKafka() {
        KafkaUnderTest kafka = dockerAnswers() ? new ContainerKafka() : new EmbeddedKafka();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "stop-kafka"));
        return kafka;
    }

    public KafkaUnderTest kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public OciRegistry registry() {
        return registry;
    }

    private static boolean dockerAnswers() {
        String forced = System.getenv("PIPELINE_TEST_KAFKA");
        if (forced != null) {
            return forced.equals("testcontainers");
        }
        // Ask Testcontainers only where an engine could exist: its probe is slow when none does.
        boolean engineConfigured = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        return engineConfigured && DockerClientFactory.instance().isDockerAvailable();
    }

    static Path workDir(String name) {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "pipeline-test-infra");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path kafkaLibDir() {
        String root = System.getProperty("pipeline.root", System.getenv().getOrDefault("PIPELINE_ROOT", "."));
        return Path.of(root, "infra", "local", "kafka-dist", "target", "lib");
    }

    /** The embedded KRaft broker as its own JVM. */
    private static final class EmbeddedKafka implements KafkaUnderTest {
        private final KafkaBroker broker;

        EmbeddedKafka() {
            Path dir = workDir("kafka-" + BROKERS.incrementAndGet());
            broker = new KafkaBroker(new KafkaBroker.Settings(dir, LoopbackPorts.free(), LoopbackPorts.free(), kafkaLibDir(), 2,
                    // Component tests also write topics of their own (a consumer's input before its service
                    // provisioned it); the services still provision theirs.
                    true));
            broker.start(false);
        }

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public void stop() {
            broker.stop();
        }
    }

    /** Kafka in a container, where a Docker engine exists. */
    private static final class ContainerKafka implements KafkaUnderTest {
        private final KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2");

        ContainerKafka() {
            container.start();
        }

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public void stop() {
            container.stop();
        }
    }
}
