package dev.promoter.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The floor of a retag: one GET of the manifest by digest and one PUT of the same bytes under the tag, written by
 * hand on one keep-alive HTTP/1.1 connection — no client library, no digest check, no auth, no retry. Not
 * thread-safe: one per thread.
 */
final class BareRegistry implements AutoCloseable {

    private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,"
            + "application/vnd.docker.distribution.manifest.list.v2+json";

    private final String hostPort;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    BareRegistry(String hostPort) {
        this.hostPort = hostPort;
    }

    /** Moves {@code tag} to {@code digest} in {@code repository}. */
    void retag(String repository, String digest, String tag) {
        Response manifest = exchange("GET", "/v2/" + repository + "/manifests/" + digest, ACCEPT, null, null);
        if (manifest.status != 200) {
            throw new IllegalStateException("GET manifest answered " + manifest.status);
        }
        Response put = exchange("PUT", "/v2/" + repository + "/manifests/" + tag, null,
                manifest.headers.get("content-type"), manifest.body);
        if (put.status != 201) {
            throw new IllegalStateException("PUT manifest answered " + put.status + ": "
                    + new String(put.body, StandardCharsets.UTF_8));
        }
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {
    }

    private Response exchange(String method, String path, String accept, String contentType, byte[] body) {
        try {
            connect();
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(hostPort).append("\r\n");
            if (accept != null) {
                head.append("Accept: ").append(accept).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            String[] parts = hostPort.split(":");
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])), 2000);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
    }

    private Response read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line();
            }
            line();
            body = chunks.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            close();
        }
        return new Response(code, headers, body);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the registry closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
