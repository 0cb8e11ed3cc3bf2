package dev.promoter.harness;

import dev.promoter.demo.PipelineApi;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.stack.KafkaBroker;
import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.OciRegistry;
import dev.promoter.stack.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * schema each). Logs of the services go to {@link Settings#logs()}, the broker's and the registry's to
 * {@code <stack>/logs}. Used by the end-to-end stories and the benchmarks.
 */
public final class LocalPipeline implements AutoCloseable {

    public static final List<String> SERVICES = List.of("build", "test", "promote", "rollback");
    public static final String CALLER = "e2e";
    /** A promote caller holding only the viewer role (promote.api-roles.viewer=viewer). */
    public static final String VIEWER = "viewer";
    /** The Jenkins user of the build service's credential set {@link #CALLER}. */
    public static final String JENKINS_USER = "e2e-bot";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    /**
     * Where things are: {@code root} the checkout holding the packaged services, {@code logs} the services' logs,
     * {@code stack} the broker's, database's and registry's data and logs (both emptied first), JVM options added
     * to each service's command line, whether the services reach the registry through a {@link FaultProxy}
     * (so a test can make it answer 503; see {@link #registryAnswersUnavailable}), and variables given to every
     * service besides the harness's own (e.g. {@code OTEL_*}).
     */
    public record Settings(Path root, Path logs, Path stack, List<String> serviceJvmOptions, boolean registryProxy,
                           Map<String, String> serviceEnvironment) {

        public Settings {
            root = root.toAbsolutePath().normalize();
            logs = logs.toAbsolutePath().normalize();
            stack = stack.toAbsolutePath().normalize();
            serviceJvmOptions = List.copyOf(serviceJvmOptions);
            serviceEnvironment = Map.copyOf(serviceEnvironment);
        }

        /** Settings without variables of their own for the services. */
        public Settings(Path root, Path logs, Path stack, List<String> serviceJvmOptions, boolean registryProxy) {
            this(root, logs, stack, serviceJvmOptions, registryProxy, Map.of());
        }

        /** The services reach the registry directly, as the benchmarks measure them, with no variables of their own. */
        public Settings(Path root, Path logs, Path stack, List<String> serviceJvmOptions) {
            this(root, logs, stack, serviceJvmOptions, false);
        }

        /** The same settings, with these variables given to every service too (e.g. {@code OTEL_*}). */
        public Settings withServiceEnvironment(Map<String, String> variables) {
            return new Settings(root, logs, stack, serviceJvmOptions, registryProxy, variables);
        }

        /**
         * The end-to-end stories' settings: system properties {@code pipeline.root} and {@code e2e.logs}; the services
         * reach the registry through the proxy.
         */
        public static Settings fromSystemProperties() {
            Path root = Path.of(System.getProperty("pipeline.root", "."));
            Path logs = Path.of(System.getProperty("e2e.logs", "target/e2e-logs")).toAbsolutePath();
            return new Settings(root, logs, logs.resolveSibling("e2e-stack"), List.of(), true);
        }
    }

    /** How long each part took to become ready, from the start of {@link #start}; the last is the whole stack. */
    public record StartTimes(Duration kafka, Duration postgres, Duration registry, Map<String, Duration> services,
                             Duration all) {
    }

    private final Settings settings;
    private final Path root;
    private final Path logs;
    private final List<AutoCloseable> toStop = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private KafkaBroker kafka;
    private OciRegistry registry;
    private FaultProxy registryProxy;
    private volatile PostgresServer postgres;
    private int postgresPort;
    private RegistryClient registryClient;
    private PipelineApi api;
    private StartTimes startTimes;
    private String githubWebhookSecret;
    private String viewerToken;
    private String promoteToken;
    private String jenkinsApiToken;
    private String databaseName;
    private final Map<String, String> serviceEnv = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> apiTokens = new LinkedHashMap<>();
    /** How many replicas of each service run; the first of each is in {@link #services}, the others here. */
    private int replicas = 1;
    private final Map<String, ServiceProcess> otherReplicas = new LinkedHashMap<>();

    private LocalPipeline(Settings settings) {
        this.settings = settings;
        this.root = settings.root();
        this.logs = settings.logs();
    }

    /** Starts everything with the end-to-end stories' settings; see {@link #start(Settings)}. */
    public static LocalPipeline start() {
        return start(Settings.fromSystemProperties());
    }

    /** Starts everything and returns once every service is ready; stops what it started if anything fails. */
    public static LocalPipeline start(Settings settings) {
        return start(settings, 1);
    }

    /**
     * Starts everything with {@code replicas} replicas of each service, as {@link #start(Settings)} does. Every replica
     * has its own port and its own {@code PIPELINE_KAFKA_INSTANCE_ID} ({@code <service>-<n>}) and shares the database,
     * the broker and the registry; the first replica of each is the one {@link #services()} and {@link #api()} name,
     * the others are {@link #replica(String, int)}.
     */
    public static LocalPipeline start(Settings settings, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("at least one replica of each service, not " + replicas);
        }
        LocalPipeline pipeline = new LocalPipeline(settings);
        pipeline.replicas = replicas;
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "stop-local-pipeline"));
        try {
            pipeline.startAll();
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll() {
        long started = System.nanoTime();
        Path stack = settings.stack();
        deleteRecursively(stack);
        deleteRecursively(logs);
        createDirectories(logs);
        createDirectories(stack);

        // The three parts start side by side: each waits for its own readiness.
        int kafkaPort = LoopbackPorts.free();
        int controllerPort = LoopbackPorts.free();
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> {
            KafkaBroker server = new KafkaBroker(new KafkaBroker.Settings(stack, kafkaPort, controllerPort,
                    root.resolve("infra/local/kafka-dist/target/lib"), 2, false));
            stopLater(server::stop);
            server.start(false);
            return server;
        });
        CompletableFuture<Duration> kafkaReady = broker.thenApply(b -> since(started));
        postgresPort = LoopbackPorts.free();
        // The data stays when the server stops, so stopPostgres/startPostgres go on with it; the whole stack folder is
        // emptied at the next start anyway. No fsync: throw-away data, and a stop or a crash of the server alone
        // loses nothing without it.
        stopLater(() -> {
            PostgresServer running = postgres;
            if (running != null) {
                running.close();
            }
        });
        CompletableFuture<PostgresServer> database = CompletableFuture.supplyAsync(() -> {
            postgres = PostgresServer.start(postgresDataDir(), postgresPort, true, false);
            return postgres;
        });
        CompletableFuture<Duration> postgresReady = database.thenApply(d -> since(started));
        registry = new OciRegistry(stack, LoopbackPorts.free());
        stopLater(registry::stop);
        registry.start(false);
        if (settings.registryProxy()) {
            registryProxy = FaultProxy.start(LoopbackPorts.free(), "127.0.0.1", registry.port());
            stopLater(registryProxy);
        }
        Duration registryReady = since(started);
        // The services start once the database answers: they need it to migrate and boot, but the broker only once
        // they run, and their readiness waits for it. So Kafka's start overlaps theirs.
        PostgresServer server = database.join();

        databaseName = "e2e_" + random(6);
        PostgresServer.createDatabase(server.jdbcUrl("postgres"), PostgresServer.USER, "", databaseName);
        // The caller e2e is admin in every service: the stories report builds, define pipelines, approve and read.
        PipelineApi.Tokens tokens = new PipelineApi.Tokens(random(32), random(32), random(32), random(32));
        promoteToken = tokens.promote();
        apiTokens.put("build", tokens.build());
        apiTokens.put("promote", tokens.promote());
        apiTokens.put("rollback", tokens.rollback());
        apiTokens.put("test", tokens.test());
        Map<String, String> env = serviceEnv;
        env.putAll(settings.serviceEnvironment());
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        // No topic is auto-created here: the services provision them; two partitions each, as before.
        env.put("PIPELINE_TOPICS_MAX_PARTITIONS", "2");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", server.jdbcUrl(databaseName));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", server.jdbcUrl(databaseName).replaceFirst("^jdbc:", ""));
        env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER);
        env.put("PIPELINE_REGISTRY_ADDRESS", registryAddress());
        apiTokens.forEach((service, token) -> {
            env.put(service.toUpperCase() + "_API_TOKENS_" + CALLER.toUpperCase(), token);
            env.put(service.toUpperCase() + "_API_ROLES_" + CALLER.toUpperCase(), "admin");
        });
        viewerToken = random(32);
        env.put("PROMOTE_API_TOKENS_" + VIEWER.toUpperCase(), viewerToken);
        env.put("PROMOTE_API_ROLES_" + VIEWER.toUpperCase(), "viewer");
        // The dashboard forwards manual rollbacks to the rollback service with a token of its own there.
        String dashboardToken = random(32);
        env.put("ROLLBACK_API_TOKENS_DASHBOARD", dashboardToken);
        env.put("ROLLBACK_API_ROLES_DASHBOARD", "operator");
        env.put("PROMOTE_ROLLBACK_TOKEN", dashboardToken);
        githubWebhookSecret = random(20);
        jenkinsApiToken = random(17);
        env.put("BUILD_GITHUB_WEBHOOK_SECRET", githubWebhookSecret);
        env.put("BUILD_JENKINS_CREDENTIALS_" + CALLER.toUpperCase() + "_USER", JENKINS_USER);
        env.put("BUILD_JENKINS_CREDENTIALS_" + CALLER.toUpperCase() + "_API_TOKEN", jenkinsApiToken);

        for (String name : SERVICES) {
            ports.put(name, LoopbackPorts.free());
        }
        env.put("PROMOTE_ROLLBACK_URL", "http://127.0.0.1:" + ports.get("rollback"));
        for (String name : SERVICES) {
            startService(name);
        }
        kafka = broker.join();
        // The other replicas once the broker answers: starting them alongside it slows the broker's start past its
        // timeout on a loaded machine.
        for (int n = 2; n <= replicas; n++) {
            for (String name : SERVICES) {
                startReplica(name, n);
            }
        }
        Map<String, Duration> serviceReady = new LinkedHashMap<>();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        List<ServiceProcess> all = new ArrayList<>(services.values());
        all.addAll(otherReplicas.values());
        while (serviceReady.size() < all.size()) {
            for (ServiceProcess service : all) {
                if (!serviceReady.containsKey(service.name()) && service.ready()) {
                    serviceReady.put(service.name(), since(started));
                }
            }
            if (serviceReady.size() == all.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                ServiceProcess late = all.stream().filter(s -> !serviceReady.containsKey(s.name()))
                        .findFirst().orElseThrow();
                throw new IllegalStateException(late.name() + " not ready within " + START_TIMEOUT.toSeconds()
                        + " s (log: " + late.log() + ")");
            }
            sleep(Duration.ofMillis(50));
        }
        startTimes = new StartTimes(kafkaReady.join(), postgresReady.join(), registryReady, serviceReady,
                since(started));
        registryClient = RegistryClient.forRegistry(registry.hostPort(), RegistryCredentials.anonymous());
        api = new PipelineApi(PipelineApi.Endpoints.onPorts(ports.get("build"), ports.get("test"),
                ports.get("promote"), ports.get("rollback")), tokens);
    }

    private ServiceProcess startService(String name) {
        ServiceProcess service = ServiceProcess.start(root, name, ports.get(name), serviceEnv, logs,
                settings.stack().resolve("tmp").resolve(name), settings.serviceJvmOptions());
        services.put(name, service);
        stopLater(service::stop);
        return service;
    }

    /** Replica {@code n} (2 and up) of the service: its own port, instance id and log ({@code <service>-<n>.log}). */
    private ServiceProcess startReplica(String name, int n) {
        String instance = name + "-" + n;
        Map<String, String> env = new LinkedHashMap<>(serviceEnv);
        env.put("PIPELINE_KAFKA_INSTANCE_ID", instance);
        ServiceProcess service = ServiceProcess.start(root, name, instance, LoopbackPorts.free(), env, logs,
                settings.stack().resolve("tmp").resolve(instance), settings.serviceJvmOptions());
        otherReplicas.put(instance, service);
        stopLater(service::stop);
        return service;
    }

    /**
     * Replica {@code n} of the service: 1 is the one {@link #services()} names, 2 and up were started by
     * {@link #start(Settings, int)}.
     */
    public ServiceProcess replica(String name, int n) {
        ServiceProcess service = n == 1 ? services.get(name) : otherReplicas.get(name + "-" + n);
        if (service == null) {
            throw new IllegalArgumentException("no replica " + n + " of " + name + "; " + replicas
                    + " replica(s) of each of " + SERVICES + " run");
        }
        return service;
    }

    /** How many replicas of each service run. */
    public int replicas() {
        return replicas;
    }

    /**
     * Starts the service again, as its supervisor would after it stopped or crashed: same port, same settings, same
     * database; returns once it is ready.
     */
    public ServiceProcess restart(String name) {
        ServiceProcess old = services.get(name);
        if (old == null) {
            throw new IllegalArgumentException("no service " + name + "; choose from " + SERVICES);
        }
        old.stop();
        ServiceProcess service = startService(name);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!service.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + START_TIMEOUT.toSeconds()
                        + " s after a restart (log: " + service.log() + ")");
            }
            sleep(Duration.ofMillis(50));
        }
        return service;
    }

    /** The secret the build service checks GitHub webhook signatures with, in this run. */
    public String githubWebhookSecret() {
        return githubWebhookSecret;
    }

    /**
     * The API token of {@link #JENKINS_USER}, which the build service presents to Jenkins for the credential set
     * named {@link #CALLER} in this run; a Jenkins stand-in checks it.
     */
    public String jenkinsApiToken() {
        return jenkinsApiToken;
    }

    /** The API token of caller {@link #CALLER} at a service ({@code build}, {@code test}, ...), in this run. */
    public String apiToken(String service) {
        return apiTokens.get(service);
    }

    /** Promote's token of {@link #CALLER}, who holds every role (as a person signing in to the dashboard). */
    public String promoteToken() {
        return promoteToken;
    }

    /** Promote's token of {@link #VIEWER}, who may read but do nothing else. */
    public String viewerToken() {
        return viewerToken;
    }

    /** The services' HTTP APIs, with this run's tokens. */
    public PipelineApi api() {
        return api;
    }

    /** The registry, asked directly: the truth about which digest each stage tag points at. */
    public RegistryClient registry() {
        return registryClient;
    }

    /**
     * host:port of the registry as the services reach it and as repositories in pipeline definitions and build
     * reports name it: the proxy's when there is one. {@link #registry()} reads the registry itself.
     */
    public String registryAddress() {
        return registryProxy != null ? registryProxy.hostPort() : registry.hostPort();
    }

    // ------------------------------------------------------------------------------------------ faults

    /** Stops the broker cleanly (SIGTERM; SIGKILL after 20 s); its data stays for {@link #startKafka}. */
    public void stopKafka() {
        kafka.stop();
    }

    /** SIGKILL of the broker: it crashes with no chance to flush or tell its clients; {@link #startKafka} recovers it. */
    public void killKafka() {
        kafka.process().running().ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().join();
        });
    }

    /** Starts the broker again on the same ports with the same data; returns once it answers. */
    public void startKafka() {
        kafka.start(false);
    }

    /** True when the broker answers a metadata request within a second or two. */
    public boolean kafkaAnswers() {
        return kafka.answers();
    }

    /** Stops PostgreSQL (a fast shutdown: open sessions are ended); its data stays for {@link #startPostgres}. */
    public synchronized void stopPostgres() {
        PostgresServer running = postgres;
        postgres = null;
        if (running != null) {
            running.close();
        }
    }

    /** Starts PostgreSQL again on the same port with the same data; returns once it accepts connections. */
    public synchronized void startPostgres() {
        if (postgres == null) {
            postgres = PostgresServer.start(postgresDataDir(), postgresPort, true, false);
        }
    }

    /**
     * JDBC URL of the database the services of this run keep their schemas in (user {@code postgres}, no password),
     * for a benchmark that seeds their tables directly.
     */
    public String servicesJdbcUrl() {
        return postgresJdbcUrl(databaseName);
    }

    /** JDBC URL of a database on this run's PostgreSQL server, e.g. {@code postgres}, for checks from outside. */
    public String postgresJdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    /**
     * Stops the registry (SIGTERM); its storage stays for {@link #startRegistry}. The proxy, if any, stops listening
     * too: the services' connections are refused, as when the registry's host is down.
     */
    public void stopRegistry() {
        if (registryProxy != null) {
            registryProxy.stopListening();
        }
        registry.stop();
    }

    /** Starts the registry again on the same port with the same storage (and its proxy); returns once it answers. */
    public void startRegistry() {
        registry.start(false);
        if (registryProxy != null) {
            registryProxy.listen();
        }
    }

    /**
     * While on, the services' requests to the registry are answered {@code 503 Service Unavailable} (with
     * {@code Retry-After}) by the proxy; {@link #registry()} still reads the registry itself. Needs the proxy
     * ({@link Settings#registryProxy()}).
     */
    public void registryAnswersUnavailable(boolean on) {
        if (registryProxy == null) {
            throw new IllegalStateException("the services reach the registry directly in this run; start the pipeline"
                    + " with Settings.registryProxy to make it answer 503");
        }
        registryProxy.answerUnavailable(on);
    }

    private Path postgresDataDir() {
        return settings.stack().resolve("postgres-data");
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Where to read what a service did. */
    public Path log(String service) {
        return services.get(service).log();
    }

    /** The four services by name, in start order. */
    public Map<String, ServiceProcess> services() {
        return Map.copyOf(services);
    }

    /**
     * The processes of the broker, the registry and the database server, by name, for reading their CPU and memory
     * from outside. The database server's is the first line of its {@code postmaster.pid}.
     */
    public Map<String, Long> infrastructurePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        kafka.process().running().ifPresent(p -> pids.put("kafka", p.pid()));
        try {
            pids.put("postgresql", Long.parseLong(Files.readAllLines(
                    settings.stack().resolve("postgres-data/postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            // not running (any more): nothing to read
        }
        registry.process().running().ifPresent(p -> pids.put("registry", p.pid()));
        return pids;
    }

    /** How long the start took, part by part. */
    public StartTimes startTimes() {
        return startTimes;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the pipeline", e);
        }
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
                System.err.println("could not stop a part of the local pipeline: " + e);
            }
        }
        toStop.clear();
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
