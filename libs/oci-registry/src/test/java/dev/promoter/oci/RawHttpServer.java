package dev.promoter.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on a raw socket, answering with exactly the bytes a test scripts: for framing,
 * keep-alive and broken answers that {@code com.sun.net.httpserver} would not send. It records each request
 * with the number of the connection it came on, and which connections the client closed.
 */
final class RawHttpServer implements AutoCloseable {

    /** One request as the server read it; {@code connection} counts from 1. */
    record Seen(int connection, String method, String target, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * What to do with a request: write {@code bytes}, then wait for {@code release} (when not null) before
     * closing the connection ({@code close}) or reading the next request.
     */
    record Answer(byte[] bytes, boolean close, CountDownLatch release) {
        static Answer of(String raw) {
            return new Answer(raw.getBytes(StandardCharsets.ISO_8859_1), false, null);
        }

        static Answer of(byte[] raw) {
            return new Answer(raw, false, null);
        }

        Answer thenClose() {
            return new Answer(bytes, true, release);
        }

        /** Writes nothing and holds the connection until the latch opens. */
        static Answer hang(CountDownLatch release) {
            return new Answer(new byte[0], true, release);
        }
    }

    interface Script {
        Answer answer(Seen request) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "raw-http-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> closedByClient = new CopyOnWriteArrayList<>();
    private final List<Integer> closedByServer = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    RawHttpServer(Script script) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    int number = connections.incrementAndGet();
                    threads.execute(() -> serve(socket, number, script));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket socket, int number, Script script) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    closed(closedByClient, number);
                    return;
                }
                Map<String, String> headers = new TreeMap<>();
                for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                String[] parts = requestLine.split(" ");
                Seen seen = new Seen(number, parts[0], parts[1], headers, body);
                requests.add(seen);
                Answer answer = script.answer(seen);
                out.write(answer.bytes());
                out.flush();
                if (answer.release() != null) {
                    answer.release().await();
                }
                if (answer.close()) {
                    socket.close();
                    closed(closedByServer, number);
                    return;
                }
            }
        } catch (SocketException e) {
            closed(closedByClient, number);
        } catch (InterruptedException e) {
            // The server is closing while a connection hangs on purpose.
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line without CRLF; null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    String route() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    List<Seen> requests() {
        return List.copyOf(requests);
    }

    /** Connections on which the server read the end of the stream: the client closed them. */
    List<Integer> closedByClient() {
        return List.copyOf(closedByClient);
    }

    /** Waits (at most 30 s) until the server has seen the client close that connection. */
    void awaitClosedByClient(int connection) throws InterruptedException {
        await(closedByClient, connection, "the client to close connection " + connection);
    }

    /** Waits (at most 30 s) until the server has closed that connection. */
    void awaitClosedByServer(int connection) throws InterruptedException {
        await(closedByServer, connection, "the server to close connection " + connection);
    }

    private synchronized void await(List<Integer> closed, int connection, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!closed.contains(connection)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private synchronized void closed(List<Integer> closed, int connection) {
        closed.add(connection);
        notifyAll();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }

    /** The parts one after another, e.g. an answer's head and its binary body. */
    static byte[] concat(byte[]... parts) {
        int size = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[size];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
