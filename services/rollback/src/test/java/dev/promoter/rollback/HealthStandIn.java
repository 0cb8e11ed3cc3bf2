package dev.promoter.rollback;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A loopback stand-in for the health endpoints of the stages' runtimes: each path answers with the status its
 * test chooses at the moment of the probe (e.g. from which digest the stage's tag points at), and counts probes.
 * Unknown paths answer 404.
 */
public final class HealthStandIn implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, IntSupplier> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();

    private HealthStandIn(HttpServer server) {
        this.server = server;
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            probes.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status;
            try {
                status = answers.getOrDefault(path, () -> 404).getAsInt();
            } catch (RuntimeException e) {
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    public static HealthStandIn start() {
        try {
            return new HealthStandIn(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** From now on, {@code path} answers with what {@code status} says at each probe. */
    public void answer(String path, IntSupplier status) {
        answers.put(path, status);
    }

    public int probes(String path) {
        AtomicInteger count = probes.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
