package dev.promoter.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port in front of an HTTP server (the registry), for injecting faults between the
 * services and it. Passing, it copies bytes both ways untouched (the {@code Host} header names the proxy, so the
 * registry's own absolute URLs point back through it). It can stop listening (clients are refused, as if the
 * server were down) and listen again on the same port, and it can answer every request {@code 503 Service
 * Unavailable} for a while, as an overloaded registry or a load balancer with no backend would.
 */
public final class FaultProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int MAX_HEAD = 64 * 1024;
    private static final long MAX_DISCARDED_BODY = 64L * 1024 * 1024;

    private final int port;
    private final String upstreamHost;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong unavailableAnswers = new AtomicLong();
    private volatile boolean unavailable;
    private ServerSocket listener;
    private Thread acceptor;

    private FaultProxy(int port, String upstreamHost, int upstreamPort) {
        this.port = port;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
    }

    /** Listens on {@code 127.0.0.1:port} and passes every connection to {@code upstreamHost:upstreamPort}. */
    public static FaultProxy start(int port, String upstreamHost, int upstreamPort) {
        FaultProxy proxy = new FaultProxy(port, upstreamHost, upstreamPort);
        proxy.listen();
        return proxy;
    }

    /** host:port that clients use, e.g. {@code 127.0.0.1:41234}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts listening again (after {@link #stopListening}) on the same port; does nothing when it listens. */
    public synchronized void listen() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("the proxy could not listen on " + hostPort() + ": " + e.getMessage(), e);
        }
        ServerSocket socket = listener;
        acceptor = new Thread(() -> accept(socket), "fault-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes the listening socket and every open connection: new connections are refused until {@link #listen}. */
    public synchronized void stopListening() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dropConnections();
    }

    /**
     * While on, every request is answered {@code 503} with {@code Retry-After} and the connection closed; switching
     * on drops the connections that pass, so no kept-alive connection slips past.
     */
    public void answerUnavailable(boolean on) {
        unavailable = on;
        if (on) {
            dropConnections();
        }
    }

    public boolean answersUnavailable() {
        return unavailable;
    }

    /** How many requests were answered 503 since the start. */
    public long unavailableAnswers() {
        return unavailableAnswers.get();
    }

    @Override
    public void close() {
        unavailable = false;
        stopListening();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closed) {
                return;
            }
            open.add(client);
            Thread handler = new Thread(() -> handle(client), "fault-proxy-" + port);
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void handle(Socket client) {
        try {
            client.setTcpNoDelay(true);
            if (unavailable) {
                answer503(client);
                return;
            }
            Socket upstream = new Socket();
            open.add(upstream);
            try {
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), CONNECT_TIMEOUT_MS);
            } catch (IOException refused) {
                close(upstream);
                return;
            }
            Thread back = new Thread(() -> copy(upstream, client), "fault-proxy-back-" + port);
            back.setDaemon(true);
            back.start();
            copy(client, upstream);
            back.join();
            close(upstream);
        } catch (IOException e) {
            // the client went away: nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(client);
        }
    }

    /** Copies until end of stream, then passes the end on (half-close), as a TCP proxy does. */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed or was dropped: close both, so the other side learns at once
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /**
     * Reads the request head (and a body of known length, so the client is not reset while still sending), answers
     * 503 in the registry's own error format and closes.
     */
    private void answer503(Socket client) throws IOException {
        client.setSoTimeout(5_000);
        InputStream in = client.getInputStream();
        try {
            String head = readHead(in);
            long length = contentLength(head);
            if (length > 0) {
                in.skipNBytes(Math.min(length, MAX_DISCARDED_BODY));
            }
        } catch (SocketTimeoutException | java.io.EOFException e) {
            // answer anyway
        }
        byte[] body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\",\"detail\":\"fault injected by the test harness\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Retry-After: 1\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        unavailableAnswers.incrementAndGet();
        client.shutdownOutput();
        // Let the client read the answer before the connection goes: wait for its end (or a short while).
        client.setSoTimeout(2_000);
        try {
            in.skip(Long.MAX_VALUE);
        } catch (IOException e) {
            // closed or timed out: either way, done
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length && head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    return Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private void dropConnections() {
        for (Socket socket : open) {
            close(socket);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
