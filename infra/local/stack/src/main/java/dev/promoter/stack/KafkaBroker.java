package dev.promoter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A one-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), run from the
 * Maven Central jars in kafka-dist/target/lib.
 */
public final class KafkaBroker {

    // Generous: on a shared 2-core machine under load a broker has been seen to need more than a minute.
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Where the broker keeps its data and listens; {@code libDir} holds the broker's jars. {@code autoCreateTopics}:
     * whether a send or subscription creates a topic (with {@code partitions}); off where the services provision
     * their topics from contracts' TopicDefinitions, as in production.
     */
    public record Settings(Path stateDir, int port, int controllerPort, Path libDir, int partitions,
                           boolean autoCreateTopics) {
        public Settings {
            if (!Files.isDirectory(libDir)) {
                throw new IllegalStateException("Kafka jars not found in " + libDir
                        + "; build them first: mvn -q -pl infra/local/kafka-dist process-resources");
            }
        }
    }

    private final Settings settings;
    private final ManagedProcess process;

    public KafkaBroker(Settings settings) {
        this.settings = settings;
        this.process = new ManagedProcess("kafka", settings.stateDir());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + settings.port();
    }

    public ManagedProcess process() {
        return process;
    }

    /** Starts the broker unless it already runs; returns once it answers a metadata request. */
    public boolean start(boolean detached) {
        if (process.running().isPresent()) {
            return false;
        }
        Path dataDir = settings.stateDir().resolve("kafka-data");
        Path config = writeConfig(dataDir);
        Path logConfig = writeLogConfig();
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(config, logConfig);
        }
        Process started = process.start(java(logConfig, "kafka.Kafka", config.toString()), settings.stateDir(), detached);
        Readiness.await("Kafka broker on " + bootstrapServers(), START_TIMEOUT, this::answers,
                started.toHandle(), process.logFile());
        return true;
    }

    public boolean stop() {
        return process.stop();
    }

    /** True when the broker answers a describe-cluster request within a second. */
    public boolean answers() {
        if (!Readiness.portOpen(settings.port())) {
            return false;
        }
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000))
                    .nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    private void format(Path config, Path logConfig) {
        try {
            Path log = process.logFile();
            Files.createDirectories(log.getParent());
            // A fixed cluster id is fine for a one-node local broker and keeps formatting repeatable.
            List<String> command = java(logConfig, "kafka.tools.StorageTool",
                    "format", "--ignore-formatted", "-t", "cHJvbW90ZXItbG9jYWwtMQ", "-c", config.toString());
            Process format = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> java(Path logConfig, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + logConfig,
                "-cp", settings.libDir().toAbsolutePath() + "/*",
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private Path writeConfig(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + settings.controllerPort());
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + settings.port() + ",CONTROLLER://127.0.0.1:" + settings.controllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + settings.port());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toAbsolutePath().toString());
        p.setProperty("num.partitions", Integer.toString(settings.partitions()));
        p.setProperty("auto.create.topics.enable", Boolean.toString(settings.autoCreateTopics()));
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // Consumers of a fresh group start at once instead of waiting 3 s for more members.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return store(p, "server.properties");
    }

    private Path writeLogConfig() {
        try {
            Files.createDirectories(settings.stateDir());
            Path file = settings.stateDir().resolve("kafka-log4j2.properties");
            Files.writeString(file, """
                    status = warn
                    appender.console.type = Console
                    appender.console.name = STDOUT
                    appender.console.layout.type = PatternLayout
                    appender.console.layout.pattern = [%d] %p %m (%c)%n
                    rootLogger.level = WARN
                    rootLogger.appenderRef.stdout.ref = STDOUT
                    logger.raft.name = kafka.server.KafkaRaftServer
                    logger.raft.level = INFO
                    """);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path store(Properties properties, String fileName) {
        try {
            Files.createDirectories(settings.stateDir());
            Path file = settings.stateDir().resolve(fileName);
            try (var out = Files.newBufferedWriter(file)) {
                properties.store(out, "written by the local stack; edits are overwritten at start");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
