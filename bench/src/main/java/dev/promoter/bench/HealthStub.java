package dev.promoter.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What each benchmark application's stage runs, as far as the rollback service can tell: {@code GET
 * /health/<application>} answers 200, or 503 while the benchmark says the application fails.
 */
final class HealthStub implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "health-stub");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    HealthStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/health/", exchange -> {
            String application = exchange.getRequestURI().getPath().substring("/health/".length());
            int status = failing.contains(application) ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    URI url(String application) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health/" + application);
    }

    void fail(String application) {
        failing.add(application);
    }

    void heal(String application) {
        failing.remove(application);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
