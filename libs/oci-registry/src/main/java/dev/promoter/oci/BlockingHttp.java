package dev.promoter.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSession;

/**
 * The registry client's transport for synchronous calls: HTTP/1.1 on pooled keep-alive sockets, with the
 * socket I/O done on the caller's thread. The JDK {@code HttpClient.send} hands every request to its
 * selector thread and back, two thread wake-ups per request that cost milliseconds on a busy machine;
 * the services always call the registry from a worker thread that may block, so this does without them.
 *
 * <p>It takes the JDK's {@link HttpRequest} and {@link HttpResponse.BodyHandler} and answers an
 * {@link HttpResponse}, and fails the way {@code HttpClient.send} does ({@link HttpTimeoutException},
 * {@link HttpConnectTimeoutException}, {@link ConnectException}, a body subscriber's failure as the cause
 * of an {@link IOException}), so the code around it works with either. Plain HTTP/1.1 only: no HTTP/2, no
 * proxies, no redirects (the client follows blob redirects itself), no {@code Expect: 100-continue}.
 */
final class BlockingHttp {

    /** The most header bytes (status line included) accepted in one response. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Idle sockets kept per (scheme, host, port); more are closed when they come back. */
    static final int MAX_IDLE_PER_ROUTE = 8;
    /** An idle socket older than this is closed instead of used (checked when one is taken; no thread). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final int BUFFER = 16 * 1024;
    private static final String HEADERS_TOO_LONG = "the answer's status line and headers exceed " + MAX_HEADER_BYTES
            + " bytes; refusing it";
    private static final String TRAILER_TOO_LONG = "the chunked body's trailer exceeds " + MAX_HEADER_BYTES
            + " bytes; refusing it";
    private static final String USER_AGENT = "Java-http-client/" + System.getProperty("java.version");

    private final Duration connectTimeout;
    private final Duration defaultTimeout;
    private final SSLContext sslContext;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, ArrayDeque<Connection>> idle = new ConcurrentHashMap<>();

    BlockingHttp(Duration connectTimeout, Duration defaultTimeout, SSLContext sslContext, LongSupplier nanoClock) {
        this.connectTimeout = connectTimeout;
        this.defaultTimeout = defaultTimeout;
        this.sslContext = sslContext;
        this.nanoClock = nanoClock;
    }

    /** Sends the request and reads the answer on this thread, as {@code HttpClient.send} would. */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported URI scheme: " + uri);
        }
        long deadline = nanoClock.getAsLong() + request.timeout().orElse(defaultTimeout).toNanos();
        byte[] head = head(request, scheme);
        String route = scheme + "://" + uri.getHost() + ":" + port(uri, scheme);
        Connection pooled = take(route);
        Connection connection = pooled != null ? pooled : open(uri, scheme, deadline);
        try {
            return exchange(connection, route, request, head, handler, deadline);
        } catch (StaleConnectionException stale) {
            // The registry closed this socket while it sat idle; the request never reached it. The other idle
            // sockets to it are likely dead too (the registry restarted), so they are closed rather than each
            // costing a later request a failed try.
            closeIdle(route);
            return exchange(open(uri, scheme, deadline), route, request, head, handler, deadline);
        }
    }

    // ------------------------------------------------------------------------------------------ request

    /** Request line, headers and body as one buffer, so a small request leaves in one segment. */
    private static byte[] head(HttpRequest request, String scheme) throws IOException {
        URI uri = request.uri();
        byte[] body = body(request);
        String method = request.method();
        StringBuilder head = new StringBuilder(256).append(method).append(' ');
        String path = uri.getRawPath();
        head.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() >= 0 && uri.getPort() != defaultPort(scheme)) {
            head.append(':').append(uri.getPort());
        }
        head.append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            userAgent |= header.getKey().equalsIgnoreCase("User-Agent");
            for (String value : header.getValue()) {
                head.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        if (!userAgent) {
            head.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        }
        // As the JDK client does: a length for any body, and Content-Length: 0 where a body is expected.
        if (body.length > 0 || method.equals("PUT") || method.equals("POST") || method.equals("PATCH")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(start, start.length + body.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    /** The request body, collected from its publisher (the registry client only sends byte arrays). */
    private static byte[] body(HttpRequest request) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        CompletableFuture<byte[]> collected = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            private final List<ByteBuffer> parts = new ArrayList<>();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                parts.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
                collected.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
                byte[] bytes = new byte[size];
                int offset = 0;
                for (ByteBuffer part : parts) {
                    int n = part.remaining();
                    part.get(bytes, offset, n);
                    offset += n;
                }
                collected.complete(bytes);
            }
        });
        try {
            // The JDK's byte-array publishers publish on the subscribing thread; this only guards a stranger.
            return collected.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not read the request body", e.getCause() != null ? e.getCause() : e);
        }
    }

    // ------------------------------------------------------------------------------------------ exchange

    /** A pooled socket failed before a byte of the answer came: the server had closed it while idle. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private <T> HttpResponse<T> exchange(Connection connection, String route, HttpRequest request, byte[] head,
                                         HttpResponse.BodyHandler<T> handler, long deadline)
            throws IOException, InterruptedException {
        boolean keep = false;
        try {
            connection.deadline = deadline;
            connection.started = false;
            try {
                connection.out.write(head);
                connection.out.flush();
            } catch (IOException e) {
                throw connection.reused ? new StaleConnectionException(e) : e;
            }
            Head answer = readHead(connection, request);
            boolean noBody = request.method().equals("HEAD") || answer.status == 204 || answer.status == 304;
            Framing framing = noBody ? Framing.NONE : framing(answer.headers);
            ResponseInfo info = new ResponseInfo(answer.status, answer.headers);
            HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
            boolean complete = deliver(connection, framing, answer.contentLength, subscriber);
            // A cancelled body was not read to its end, so the socket cannot carry another request;
            // nor can one with bytes after the answer.
            boolean reusable = answer.keepAlive && framing != Framing.UNTIL_CLOSE && complete
                    && connection.pos == connection.limit;
            T body = await(subscriber, deadline);
            keep = reusable;
            return new Response<>(answer.status, request, info.headers, body);
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException) {
                throw new HttpTimeoutException("request timed out");
            }
            if (connection.reused && !connection.started && !(e instanceof StaleConnectionException)) {
                throw new StaleConnectionException(e);
            }
            throw e;
        } finally {
            if (keep) {
                give(route, connection);
            } else {
                connection.close();
            }
        }
    }

    private record Head(int status, HttpHeaders headers, boolean keepAlive, long contentLength) {
    }

    private enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    /** The status line and headers of the final answer, skipping interim 1xx answers. */
    private Head readHead(Connection c, HttpRequest request) throws IOException {
        while (true) {
            int budget = MAX_HEADER_BYTES;
            String statusLine = c.line(budget, HEADERS_TOO_LONG);
            budget -= statusLine.length() + 2;
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' ') {
                throw new IOException("malformed status line from " + request.uri().getHost() + ": "
                        + printable(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("malformed status line from " + request.uri().getHost() + ": "
                        + printable(statusLine));
            }
            boolean http10 = statusLine.charAt(7) == '0';
            TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String last = null;
            for (String line = c.line(budget, HEADERS_TOO_LONG); !line.isEmpty();
                 line = c.line(budget, HEADERS_TOO_LONG)) {
                budget -= line.length() + 2;
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                    // obs-fold (RFC 9112 §5.2): the continuation joins the previous value with a space.
                    List<String> values = headers.get(last);
                    values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line from " + request.uri().getHost() + ": "
                            + printable(line));
                }
                last = line.substring(0, colon).trim();
                headers.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
            if (status >= 100 && status < 200) {
                continue;
            }
            List<String> connection = tokens(headers.get("Connection"));
            boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
            long length = -1;
            List<String> lengths = headers.get("Content-Length");
            if (lengths != null) {
                for (String value : tokens(lengths)) {
                    long parsed = parseLength(value);
                    if (length >= 0 && parsed != length) {
                        throw new IOException("conflicting Content-Length headers: " + lengths);
                    }
                    length = parsed;
                }
            }
            return new Head(status, HttpHeaders.of(headers, (a, b) -> true), keepAlive, length);
        }
    }

    private static Framing framing(HttpHeaders headers) {
        List<String> encodings = tokens(headers.allValues("Transfer-Encoding"));
        if (!encodings.isEmpty()) {
            // RFC 9112 §6.3: chunked last frames the body; any other coding runs until the server closes.
            return encodings.get(encodings.size() - 1).equals("chunked") ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
        }
        return headers.firstValue("Content-Length").isPresent() ? Framing.LENGTH : Framing.UNTIL_CLOSE;
    }

    /**
     * Drives the body subscriber with the body's bytes, returns whether the body was read to its end
     * (false when the subscriber cancelled).
     */
    private <T> boolean deliver(Connection c, Framing framing, long length, HttpResponse.BodySubscriber<T> subscriber)
            throws IOException, InterruptedException {
        Demand demand = new Demand();
        subscriber.onSubscribe(demand);
        try {
            switch (framing) {
                case NONE -> {
                    // nothing to read
                }
                case LENGTH -> {
                    if (!pass(c, length, demand, subscriber)) {
                        return false;
                    }
                }
                case CHUNKED -> {
                    while (true) {
                        String sizeLine = c.line(1024, "malformed chunked body: a chunk-size line over 1024 bytes");
                        int semicolon = sizeLine.indexOf(';');
                        long size = parseHex(semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine);
                        if (size == 0) {
                            // Trailers are read past and ignored.
                            int budget = MAX_HEADER_BYTES;
                            for (String trailer = c.line(budget, TRAILER_TOO_LONG); !trailer.isEmpty();
                                 trailer = c.line(budget, TRAILER_TOO_LONG)) {
                                budget -= trailer.length() + 2;
                            }
                            break;
                        }
                        if (!pass(c, size, demand, subscriber)) {
                            return false;
                        }
                        if (!c.line(2, "malformed chunked body: no CRLF after a chunk").isEmpty()) {
                            throw new IOException("malformed chunked body: no CRLF after a chunk");
                        }
                    }
                }
                case UNTIL_CLOSE -> {
                    if (!pass(c, Long.MAX_VALUE, demand, subscriber)) {
                        return false;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            subscriber.onError(e);
            throw e;
        }
        subscriber.onComplete();
        return true;
    }

    /**
     * Hands {@code count} bytes (or all until the server closes, for {@link Long#MAX_VALUE}) to the
     * subscriber as it asks for them; false when it cancelled.
     */
    private <T> boolean pass(Connection c, long count, Demand demand, HttpResponse.BodySubscriber<T> subscriber)
            throws IOException, InterruptedException {
        long left = count;
        while (left > 0) {
            if (!demand.await(c.deadline, nanoClock)) {
                return false;
            }
            if (c.pos == c.limit && c.fill() < 0) {
                if (count == Long.MAX_VALUE) {
                    return true;
                }
                throw new IOException("the registry closed the connection " + left + " bytes before the body's end");
            }
            int n = (int) Math.min(left, c.limit - c.pos);
            ByteBuffer item = ByteBuffer.wrap(Arrays.copyOfRange(c.buffer, c.pos, c.pos + n));
            c.pos += n;
            if (count != Long.MAX_VALUE) {
                left -= n;
            }
            demand.take();
            subscriber.onNext(List.of(item));
        }
        return !demand.cancelled();
    }

    private <T> T await(HttpResponse.BodySubscriber<T> subscriber, long deadline)
            throws IOException, InterruptedException {
        CompletableFuture<T> body = subscriber.getBody().toCompletableFuture();
        try {
            return body.get(Math.max(0, deadline - nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new HttpTimeoutException("request timed out");
        } catch (ExecutionException e) {
            // As HttpClient.send reports it: the subscriber's failure is the cause of an IOException.
            Throwable cause = e.getCause();
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** What a subscriber asked for; the reading thread waits while it asks for nothing. */
    private static final class Demand implements Flow.Subscription {
        private long requested;
        private boolean cancelled;

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                cancelled = true;
            } else {
                requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
            }
            notifyAll();
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            notifyAll();
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        synchronized void take() {
            if (requested != Long.MAX_VALUE) {
                requested--;
            }
        }

        /** Waits for demand until the deadline; false once cancelled. */
        synchronized boolean await(long deadline, LongSupplier clock) throws InterruptedException, HttpTimeoutException {
            while (requested == 0 && !cancelled) {
                long left = deadline - clock.getAsLong();
                if (left <= 0) {
                    throw new HttpTimeoutException("request timed out");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return !cancelled;
        }
    }

    // ------------------------------------------------------------------------------------------ sockets

    /** One socket with its read buffer. Used by one thread at a time: taken from the pool, then given back. */
    private final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buffer = new byte[BUFFER];
        boolean reused;
        int pos;
        int limit;
        long deadline;
        long idleSince;
        boolean started;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads more into the empty buffer, waiting at most until the request's deadline; -1 at end of stream. */
        int fill() throws IOException {
            long left = deadline - nanoClock.getAsLong();
            if (left <= 0) {
                throw new HttpTimeoutException("request timed out");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
            pos = 0;
            limit = 0;
            int n = in.read(buffer, 0, buffer.length);
            if (n > 0) {
                limit = n;
                started = true;
            }
            return n;
        }

        /**
         * One CRLF- (or LF-) terminated line of at most {@code max} bytes, without its terminator;
         * {@code tooLong} says what is wrong beyond that.
         */
        String line(int max, String tooLong) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (pos == limit && fill() < 0) {
                    throw new IOException("the registry closed the connection"
                            + (started ? " in the middle of an answer" : " before answering"));
                }
                byte b = buffer[pos++];
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) (b & 0xff));
                if (line.length() > max) {
                    throw new IOException(tooLong);
                }
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private Connection open(URI uri, String scheme, long deadline) throws IOException {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetSocketAddress address = new InetSocketAddress(bare, port(uri, scheme));
        if (address.isUnresolved()) {
            throw new ConnectException("unknown host " + bare);
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            try {
                socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
            } catch (SocketTimeoutException e) {
                HttpConnectTimeoutException timeout = new HttpConnectTimeoutException("HTTP connect timed out");
                timeout.initCause(e);
                throw timeout;
            } catch (UnknownHostException e) {
                throw new ConnectException("unknown host " + bare);
            }
            if (scheme.equals("https")) {
                try {
                    socket = tls(socket, bare, address.getPort(), deadline);
                } catch (SocketTimeoutException e) {
                    throw new HttpTimeoutException("request timed out");
                }
            }
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // reporting the first failure
            }
            throw e;
        }
    }

    /** TLS on a connected socket, verifying the host name the way the JDK client does. */
    private Socket tls(Socket plain, String host, int port, long deadline) throws IOException {
        SSLContext context;
        try {
            context = sslContext != null ? sslContext : SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        long left = deadline - nanoClock.getAsLong();
        if (left <= 0) {
            throw new HttpTimeoutException("request timed out");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
        socket.startHandshake();
        return socket;
    }

    /** A pooled socket for the route, the most recently used first; expired ones are closed on the way. */
    private Connection take(String route) {
        ArrayDeque<Connection> sockets = idle.get(route);
        if (sockets == null) {
            return null;
        }
        long now = nanoClock.getAsLong();
        List<Connection> expired = new ArrayList<>(0);
        Connection found = null;
        synchronized (sockets) {
            while (!sockets.isEmpty() && now - sockets.peekLast().idleSince > IDLE_TIMEOUT.toNanos()) {
                expired.add(sockets.pollLast());
            }
            if (!sockets.isEmpty()) {
                found = sockets.pollFirst();
            }
        }
        expired.forEach(Connection::close);
        if (found != null) {
            found.reused = true;
        }
        return found;
    }

    private void give(String route, Connection connection) {
        connection.idleSince = nanoClock.getAsLong();
        ArrayDeque<Connection> sockets = idle.computeIfAbsent(route, r -> new ArrayDeque<>());
        synchronized (sockets) {
            if (sockets.size() < MAX_IDLE_PER_ROUTE) {
                sockets.offerFirst(connection);
                return;
            }
        }
        connection.close();
    }

    private void closeIdle(String route) {
        ArrayDeque<Connection> sockets = idle.get(route);
        if (sockets == null) {
            return;
        }
        List<Connection> closing;
        synchronized (sockets) {
            closing = new ArrayList<>(sockets);
            sockets.clear();
        }
        closing.forEach(Connection::close);
    }

    /** Idle sockets now pooled for the route (tests). */
    int idleCount(String route) {
        ArrayDeque<Connection> sockets = idle.get(route);
        if (sockets == null) {
            return 0;
        }
        synchronized (sockets) {
            return sockets.size();
        }
    }

    // ------------------------------------------------------------------------------------------ parsing

    private static List<String> tokens(List<String> values) {
        if (values == null) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    tokens.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }

    private static long parseLength(String value) throws IOException {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IOException("invalid Content-Length: " + printable(value));
        }
        return Long.parseLong(value);
    }

    private static long parseHex(String value) throws IOException {
        String hex = value.trim();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("malformed chunked body: chunk size '" + printable(hex) + "'");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunked body: chunk size '" + printable(hex) + "'");
        }
    }

    private static String printable(String value) {
        String cut = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static int port(URI uri, String scheme) {
        return uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    private record ResponseInfo(int statusCode, HttpHeaders headers) implements HttpResponse.ResponseInfo {
        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    private record Response<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body)
            implements HttpResponse<T> {

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
