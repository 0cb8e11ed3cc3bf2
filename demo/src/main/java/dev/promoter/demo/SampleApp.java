package dev.promoter.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.promoter.oci.ImageInspector;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.PlatformImage;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.oci.RegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in for what each stage runs: for {@code GET /stages/{stage}/health} it asks the registry which
 * artifact the stage's tag points at and answers according to that image — DOWN (503) when the image's label
 * {@value #FAILS_IN_LABEL} lists the stage, UP (200) otherwise, 404 when the stage has no tag yet. So moving a
 * tag is all it takes to "deploy" an artifact, and a rollback visibly cures the stage.
 */
public final class SampleApp implements AutoCloseable {

    /** Image label naming the stages (comma separated) in which the image's health fails. */
    public static final String FAILS_IN_LABEL = "dev.promoter.sample.fails-in";
    public static final int DEFAULT_PORT = 18080;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROUTE = Pattern.compile("/stages/([a-z0-9][a-z0-9-]{0,30})/(health|digest)");

    private final RegistryClient registry;
    private final ImageInspector inspector;
    private final String repository;
    private final HttpServer server;
    private final ExecutorService workers;
    // An artifact is immutable, so what its labels say about health never changes: read them once per digest.
    private final Map<String, Map<String, String>> labelsByDigest = new ConcurrentHashMap<>();

    private SampleApp(String registryAddress, String repository, int port) throws IOException {
        this.registry = RegistryClient.builder(registryAddress).credentials(RegistryCredentials.anonymous())
                .requestTimeout(Duration.ofSeconds(2)).build();
        this.inspector = new ImageInspector(registry);
        this.repository = repository;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        this.workers = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "sample-app");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    /**
     * Serves the stages of {@code repository} (a path in the registry at {@code registryAddress}, e.g.
     * {@code demo/shop-cart}) on 127.0.0.1:{@code port}; port 0 picks a free one.
     */
    public static SampleApp start(String registryAddress, String repository, int port) {
        try {
            SampleApp app = new SampleApp(registryAddress, repository, port);
            app.server.start();
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("the sample app could not listen on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The health URL of a stage, as a pipeline definition names it. */
    public URI healthUrl(String stage) {
        return URI.create("http://127.0.0.1:" + port() + "/stages/" + stage + "/health");
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    /** True when the image's {@value #FAILS_IN_LABEL} label lists the stage. */
    static boolean failsIn(String stage, Map<String, String> labels) {
        String stages = labels.get(FAILS_IN_LABEL);
        return stages != null && Arrays.stream(stages.split(",")).map(String::trim).anyMatch(stage::equals);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("detail", "only GET is served"));
                return;
            }
            if ("/".equals(path)) {
                respond(exchange, 200, Map.of("repository", registry.registry() + "/" + repository));
                return;
            }
            Matcher route = ROUTE.matcher(path);
            if (!route.matches()) {
                respond(exchange, 404, Map.of("detail", "serves GET /stages/{stage}/health and /stages/{stage}/digest"));
                return;
            }
            String stage = route.group(1);
            if ("digest".equals(route.group(2))) {
                digest(exchange, stage);
            } else {
                health(exchange, stage);
            }
        } catch (RuntimeException e) {
            // A probe must always get an answer; the reason goes to the caller, not a stack trace.
            respond(exchange, 500, Map.of("status", "DOWN", "detail", String.valueOf(e.getMessage())));
        }
    }

    private void digest(HttpExchange exchange, String stage) throws IOException {
        Optional<ManifestRef> running;
        try {
            running = registry.head(repository, stage);
        } catch (RegistryException e) {
            respond(exchange, 503, Map.of("stage", stage, "detail", "registry unavailable: " + e.getMessage()));
            return;
        }
        if (running.isEmpty()) {
            respond(exchange, 404, Map.of("stage", stage, "detail", "no tag " + stage + " in " + repository));
            return;
        }
        respond(exchange, 200, Map.of("stage", stage, "digest", running.get().digest()));
    }

    private void health(HttpExchange exchange, String stage) throws IOException {
        String digest;
        Map<String, String> labels;
        try {
            Optional<ManifestRef> running = registry.head(repository, stage);
            if (running.isEmpty()) {
                respond(exchange, 404, Map.of("status", "UNKNOWN", "stage", stage,
                        "detail", "no tag " + stage + " in " + repository + ": the stage runs nothing"));
                return;
            }
            digest = running.get().digest();
            labels = labelsByDigest.computeIfAbsent(digest, this::labels);
        } catch (RegistryException e) {
            respond(exchange, 503, Map.of("status", "DOWN", "stage", stage,
                    "detail", "cannot tell what runs: registry unavailable: " + e.getMessage()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        boolean fails = failsIn(stage, labels);
        body.put("status", fails ? "DOWN" : "UP");
        body.put("stage", stage);
        body.put("digest", digest);
        if (fails) {
            body.put("detail", "the image's label " + FAILS_IN_LABEL + "=" + labels.get(FAILS_IN_LABEL)
                    + " lists " + stage);
        }
        respond(exchange, fails ? 503 : 200, body);
    }

    private Map<String, String> labels(String digest) {
        return inspector.inspect(repository, digest).images().stream().findFirst()
                .map(PlatformImage::labels).orElse(Map.of());
    }

    private static void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * {@code SampleApp --registry <host:port> --repository <path> [--port 18080]}: runs until terminated.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String registryAddress = options.get("--registry");
        String repository = options.get("--repository");
        if (registryAddress == null || repository == null || args.length % 2 != 0) {
            System.err.println("usage: SampleApp --registry <host:port> --repository <path> [--port "
                    + DEFAULT_PORT + "]");
            System.exit(2);
        }
        int port = Integer.parseInt(options.getOrDefault("--port", Integer.toString(DEFAULT_PORT)));
        SampleApp app = start(registryAddress, repository, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }));
        System.out.println("sample app: stages of " + registryAddress + "/" + repository + " on http://127.0.0.1:"
                + app.port() + "/stages/{stage}/health");
        stopped.await();
    }
}
