package dev.promoter.chaos;

import com.sun.net.httpserver.HttpServer;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What each chaos application runs in its {@code stage}, as far as the rollback service's probes can tell: {@code GET
 * /health/<application>} answers 503 while the digest the stage tag points at is one the load made unhealthy, 200
 * otherwise. It learns the stage's digest from the registry itself (not through the fault proxy) every 200 ms and
 * keeps the last one it knew while the registry cannot say: a running application does not stop when the registry
 * does.
 */
final class HealthStub implements AutoCloseable {

    private static final long REFRESH_MS = 200;

    private final HttpServer server;
    private final RegistryClient registry;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "health-stub");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> repositories = new ConcurrentHashMap<>();
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
    private final Thread refresher;

    HealthStub(RegistryClient registry) {
        this.registry = registry;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/health/", exchange -> {
            String application = exchange.getRequestURI().getPath().substring("/health/".length());
            String digest = running.get(application);
            int status = digest != null && unhealthy.contains(digest) ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
        refresher = new Thread(this::refresh, "health-stub-refresh");
        refresher.setDaemon(true);
        refresher.start();
    }

    /** Watches the {@code stage} tag of the application's repository (a path in the registry). */
    void watch(String application, String repository) {
        repositories.put(application, repository);
    }

    URI url(String application) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health/" + application);
    }

    /** From now on, the digest fails its health checks wherever it runs. */
    void makeUnhealthy(String digest) {
        unhealthy.add(digest);
    }

    private void refresh() {
        while (!Thread.currentThread().isInterrupted()) {
            repositories.forEach((application, repository) -> {
                try {
                    registry.head(repository, "stage").map(ManifestRef::digest)
                            .ifPresent(digest -> running.put(application, digest));
                } catch (RuntimeException unreachable) {
                    // the registry cannot say: the application keeps running what it ran
                }
            });
            try {
                Thread.sleep(REFRESH_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        refresher.interrupt();
        server.stop(0);
        threads.shutdownNow();
    }
}
