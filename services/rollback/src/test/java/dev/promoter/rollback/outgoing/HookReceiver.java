package dev.promoter.rollback.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/** A stage runtime's deploy hook on loopback: records every delivery and answers what the test says. */
public final class HookReceiver implements AutoCloseable {

    /** One delivery as received: its headers of interest and raw body. */
    public record Delivery(String path, String contentType, String signature, String deliveryId, byte[] body) {

        /** The body read as the structured-mode CloudEvent a deploy hook carries. */
        public JsonNode cloudEvent() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The CloudEvent's type, e.g. dev.cdevents.service.deployed.0.3.0. */
        public String type() {
            return cloudEvent().get("type").textValue();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, IntSupplier> answers = new ConcurrentHashMap<>();

    private HookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public static HookReceiver start() {
        return new HookReceiver();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public void answer(String path, IntSupplier status) {
        answers.put(path, status);
    }

    public synchronized List<Delivery> deliveries(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status = answers.getOrDefault(path, () -> 200).getAsInt();
        synchronized (this) {
            deliveries.add(new Delivery(path, exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst(HookSignature.HEADER),
                    exchange.getRequestHeaders().getFirst("X-Promoter-Delivery"), body));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
