package dev.promoter.e2e;

import static org.awaitility.Awaitility.await;

import dev.promoter.demo.PipelineApi;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.stack.KafkaBroker;
import dev.promoter.stack.OciRegistry;
import dev.promoter.stack.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole pipeline on loopback, as in production: a real KRaft broker, PostgreSQL server and OCI registry on
 * free ports, and the four services as separate JVMs from their packaged jars, sharing one fresh database (a
 * schema each). Logs of the services go to {@code target/e2e-logs}, the broker's and the registry's to
 * {@code target/e2e-stack/logs}.
 */
final class LocalPipeline implements AutoCloseable {

    static final List<String> SERVICES = List.of("build", "test", "promote", "rollback");
    static final String CALLER = "e2e";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final Path root;
    private final Path logs;
    private final List<AutoCloseable> toStop = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private KafkaBroker kafka;
    private OciRegistry registry;
    private RegistryClient registryClient;
    private PipelineApi api;

    private LocalPipeline(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
    }

    /** Starts everything and returns once every service is ready; stops what it started if anything fails. */
    static LocalPipeline start() {
        Path root = Path.of(System.getProperty("pipeline.root", ".")).toAbsolutePath().normalize();
        Path logs = Path.of(System.getProperty("e2e.logs", "target/e2e-logs")).toAbsolutePath();
        LocalPipeline pipeline = new LocalPipeline(root, logs);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "stop-e2e-pipeline"));
        try {
            pipeline.startAll();
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll() {
        Path stack = logs.resolveSibling("e2e-stack");
        deleteRecursively(stack);
        deleteRecursively(logs);
        createDirectories(logs);
        createDirectories(stack);

        // The three parts start side by side: each waits for its own readiness.
        int kafkaPort = freePort();
        int controllerPort = freePort();
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> {
            KafkaBroker started = new KafkaBroker(new KafkaBroker.Settings(stack, kafkaPort, controllerPort,
                    root.resolve("infra/local/kafka-dist/target/lib"), 2));
            stopLater(started::stop);
            started.start(false);
            return started;
        });
        CompletableFuture<PostgresServer> database = CompletableFuture.supplyAsync(() -> {
            PostgresServer started = PostgresServer.start(stack.resolve("postgres-data"), freePort(), false);
            stopLater(started);
            return started;
        });
        registry = new OciRegistry(stack, freePort());
        stopLater(registry::stop);
        registry.start(false);
        kafka = broker.join();
        PostgresServer postgres = database.join();

        String databaseName = "e2e_" + random(6);
        PostgresServer.createDatabase(postgres.jdbcUrl("postgres"), PostgresServer.USER, "", databaseName);
        String buildToken = random(32);
        String promoteToken = random(32);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(databaseName));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.jdbcUrl(databaseName).replaceFirst("^jdbc:", ""));
        env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
        env.put("PIPELINE_REGISTRY_ADDRESS", registry.hostPort());
        env.put("BUILD_API_TOKENS_" + CALLER.toUpperCase(), buildToken);
        env.put("PROMOTE_API_TOKENS_" + CALLER.toUpperCase(), promoteToken);

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : SERVICES) {
            ports.put(name, freePort());
            ServiceProcess service = ServiceProcess.start(root, name, ports.get(name), env, logs,
                    stack.resolve("tmp").resolve(name));
            services.put(name, service);
            stopLater(service::stop);
        }
        for (ServiceProcess service : services.values()) {
            await(service.name() + " ready (log: " + service.log() + ")").atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250)).until(service::ready);
        }
        registryClient = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
        api = new PipelineApi(PipelineApi.Endpoints.onPorts(ports.get("build"), ports.get("test"),
                ports.get("promote"), ports.get("rollback")), buildToken, promoteToken);
    }

    /** The services' HTTP APIs, with this run's tokens. */
    PipelineApi api() {
        return api;
    }

    /** The registry, asked directly: the truth about which digest each stage tag points at. */
    RegistryClient registry() {
        return registryClient;
    }

    /** host:port of the registry, as repositories in pipeline definitions name it. */
    String registryAddress() {
        return registry.hostPort();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Where to read what a service did. */
    Path log(String service) {
        return services.get(service).log();
    }

    private synchronized void stopLater(AutoCloseable part) {
        toStop.add(part);
    }

    /** Stops everything that was started, services first; safe to call twice. */
    @Override
    public synchronized void close() {
        for (int i = toStop.size() - 1; i >= 0; i--) {
            try {
                toStop.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop a part of the e2e pipeline: " + e);
            }
        }
        toStop.clear();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
