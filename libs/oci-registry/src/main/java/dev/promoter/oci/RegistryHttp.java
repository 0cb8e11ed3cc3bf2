package dev.promoter.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The registry client's one transport: Apache HttpClient 5 classic, HTTP/1.1 on pooled keep-alive connections,
 * the socket I/O done on the calling thread (the services call the registry from worker threads that may block).
 * The async variants of {@link RegistryClient} run the same calls on a small pool of daemon threads.
 *
 * <p>Bodies are read up to a limit: a 2xx body we would act on (a manifest, a blob, a token) over the limit is
 * refused ({@link TooLargeException}), a declared length over it before a byte is read; an error body
 * we only quote is cut at the limit. Either way an unread rest closes the connection instead of being read to the
 * end. No redirects (the client follows blob redirects itself, so credentials never travel to another host), no
 * transparent decompression (manifests are hashed byte for byte), no retry of an answered request (the client
 * repeats a read that got a 5xx itself); a pooled connection the registry closed while it sat idle is retried
 * once for idempotent methods. {@code requestTimeout} bounds each wait for the registry (connect, then every read
 * of the answer), so a registry that stops answering fails after that long of silence.
 */
final class RegistryHttp {

    /** At most this many connections to one registry at a time; more callers wait for one. */
    static final int MAX_PER_ROUTE = 64;
    /** A pooled connection idle longer than this is checked before it is used again. */
    private static final TimeValue VALIDATE_AFTER = TimeValue.ofSeconds(2);
    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "registry-client");
        thread.setDaemon(true);
        return thread;
    });

    /** A body bigger than the caller allows. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final long limit;

        TooLargeException(long limit) {
            super("response body exceeds " + limit + " bytes");
            this.limit = limit;
        }
    }

    /** One answer: status, headers (looked up regardless of case) and the body as read within its limit. */
    record Response(int statusCode, HttpHeaders headers, byte[] body) {
    }

    private final CloseableHttpClient client;

    RegistryHttp(Duration connectTimeout, Duration requestTimeout, SSLContext sslContext) {
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(MAX_PER_ROUTE)
                .setMaxConnTotal(MAX_PER_ROUTE * 2)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(requestTimeout))
                        .setValidateAfterInactivity(VALIDATE_AFTER)
                        .build());
        // The JDK checks the certificate names the host during the handshake, as the JDK client does.
        ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create()
                .setHostVerificationPolicy(HostnameVerificationPolicy.BUILTIN);
        tls.setSslContext(sslContext != null ? sslContext : defaultContext());
        connections.setTlsSocketStrategy(tls.buildClassic());
        PoolingHttpClientConnectionManager pool = connections.build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setRetryStrategy(new StaleConnectionRetry(pool))
                .build();
    }

    /** Sends on this thread when {@code blocking}, else on the client's pool; a failure fails the future. */
    CompletableFuture<Response> send(String method, URI uri, Map<String, String> headers, byte[] body,
                                     long maxBytes, long maxErrorBytes, boolean blocking) {
        if (!blocking) {
            return CompletableFuture.supplyAsync(() -> sendNow(method, uri, headers, body, maxBytes, maxErrorBytes),
                    ASYNC);
        }
        try {
            return CompletableFuture.completedFuture(send(method, uri, headers, body, maxBytes, maxErrorBytes));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Response sendNow(String method, URI uri, Map<String, String> headers, byte[] body, long maxBytes,
                             long maxErrorBytes) {
        try {
            return send(method, uri, headers, body, maxBytes, maxErrorBytes);
        } catch (IOException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    Response send(String method, URI uri, Map<String, String> headers, byte[] body, long maxBytes, long maxErrorBytes)
            throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        headers.forEach(request::addHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, null));
        }
        ClassicHttpResponse response = client.executeOpen(null, request, null);
        boolean drained = false;
        try {
            int status = response.getCode();
            HttpHeaders answerHeaders = headers(response);
            HttpEntity entity = response.getEntity();
            if (entity == null || method.equals("HEAD")) {
                drained = true;
                return new Response(status, answerHeaders, new byte[0]);
            }
            boolean success = status / 100 == 2;
            long limit = success ? maxBytes : maxErrorBytes;
            if (success && entity.getContentLength() > limit) {
                throw new TooLargeException(limit);
            }
            byte[] read = readUpTo(entity.getContent(), limit);
            if (read.length > limit) {
                if (success) {
                    throw new TooLargeException(limit);
                }
                return new Response(status, answerHeaders, Arrays.copyOf(read, (int) limit));
            }
            drained = true;
            return new Response(status, answerHeaders, read);
        } finally {
            if (drained) {
                // Read to its end: the connection goes back to the pool.
                EntityUtils.consumeQuietly(response.getEntity());
                response.close();
            } else {
                // Not read to its end: the connection is closed rather than the rest read.
                request.cancel();
                closeQuietly(response);
            }
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException alreadyClosed) {
            // the connection is gone already, which is what we wanted
        }
    }

    /** Up to {@code limit + 1} bytes, so the caller sees whether there was more. */
    private static byte[] readUpTo(InputStream in, long limit) throws IOException {
        int cap = (int) Math.min(limit + 1, Integer.MAX_VALUE - 8);
        return in.readNBytes(cap);
    }

    private static HttpHeaders headers(ClassicHttpResponse response) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            map.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * One retry of an idempotent request whose pooled connection turned out closed (the request never got an
     * answer); never a retry of an answer, not even a 503 with Retry-After: the client decides about those. Before
     * the retry every idle connection of the pool is closed: when one turned out dead the others likely are too (the
     * registry restarted), and the retry must go out on a fresh connection rather than on the next dead one.
     */
    private static final class StaleConnectionRetry extends DefaultHttpRequestRetryStrategy {
        private final PoolingHttpClientConnectionManager pool;

        StaleConnectionRetry(PoolingHttpClientConnectionManager pool) {
            super(1, TimeValue.ZERO_MILLISECONDS, List.of(InterruptedIOException.class, UnknownHostException.class,
                    ConnectException.class, NoRouteToHostException.class, SSLException.class), List.of());
            this.pool = pool;
        }

        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            boolean retry = super.retryRequest(request, exception, execCount, context);
            if (retry) {
                pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
            }
            return retry;
        }
    }
}
