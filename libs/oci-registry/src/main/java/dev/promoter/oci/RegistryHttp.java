package dev.promoter.oci;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;

/**
 * The registry client's one transport: our own {@link BlockingHttp} (HTTP/1.1 on pooled keep-alive sockets, the
 * socket I/O on the calling thread; the services call the registry from worker threads that may block). The async
 * variants of {@link RegistryClient} run the same calls on a small pool of daemon threads. Apache HttpClient 5
 * was tried in its place and measured slower per retag (docs/decisions.md, "Registry transport").
 *
 * <p>Bodies are read up to a limit ({@link LimitedBody}): a 2xx body we would act on (a manifest, a blob, a token)
 * over the limit is refused ({@link LimitedBody.TooLargeException}), a declared length over it before a byte is
 * read; an error body we only quote is cut at the limit. Either way an unread rest closes the connection instead of
 * being read to the end. No redirects (the client follows blob redirects itself, so credentials never travel to
 * another host), no transparent decompression (manifests are hashed byte for byte), no retry of an answered request
 * (the client repeats a read that got a 5xx itself); a pooled connection the registry closed while it sat idle is
 * retried once on a fresh one, and every other idle connection to that registry is dropped with it.
 */
final class RegistryHttp {

    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "registry-client");
        thread.setDaemon(true);
        return thread;
    });

    /** One answer: status, headers (looked up regardless of case) and the body as read within its limit. */
    record Response(int statusCode, HttpHeaders headers, byte[] body) {
    }

    private final BlockingHttp http;
    private final Duration requestTimeout;

    RegistryHttp(Duration connectTimeout, Duration requestTimeout, SSLContext sslContext, LongSupplier nanoClock) {
        this.http = new BlockingHttp(connectTimeout, requestTimeout, sslContext, nanoClock);
        this.requestTimeout = requestTimeout;
    }

    /** Sends on this thread when {@code blocking}, else on the client's pool; a failure fails the future. */
    CompletableFuture<Response> send(String method, URI uri, Map<String, String> headers, byte[] body,
                                     long maxBytes, long maxErrorBytes, boolean blocking) {
        if (!blocking) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return send(method, uri, headers, body, maxBytes, maxErrorBytes);
                } catch (IOException e) {
                    throw new CompletionException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            }, ASYNC);
        }
        try {
            return CompletableFuture.completedFuture(send(method, uri, headers, body, maxBytes, maxErrorBytes));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    Response send(String method, URI uri, Map<String, String> headers, byte[] body, long maxBytes, long maxErrorBytes)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse.BodyHandler<byte[]> handler = method.equals("HEAD")
                ? info -> HttpResponse.BodySubscribers.replacing(new byte[0])
                : info -> info.statusCode() / 100 == 2
                        ? new LimitedBody(maxBytes, false, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                        : new LimitedBody(maxErrorBytes, true, -1);
        HttpResponse<byte[]> response = http.send(request.build(), handler);
        return new Response(response.statusCode(), response.headers(), response.body());
    }
}
