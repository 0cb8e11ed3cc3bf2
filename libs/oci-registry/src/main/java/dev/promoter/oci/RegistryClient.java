package dev.promoter.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A client of one OCI registry (distribution-spec v1.1): reads and pushes manifests and blobs, and
 * retags an artifact by digest — one GET and one PUT of the manifest's exact bytes, so the digest is
 * preserved.
 *
 * <p>Thread-safe; create one per registry and share it: it holds its keep-alive HTTP/1.1 connection
 * pool ({@link RegistryHttp}, our own {@link BlockingHttp}) and the registry's bearer tokens. Names, tags
 * and digests are validated before anything is sent ({@link IllegalArgumentException}, thrown by the
 * async variants too); everything the registry refuses or gets wrong is a {@link RegistryException}.
 */
public final class RegistryClient {

    /** Manifests bigger than this are refused (the spec asks clients to accept at least 4 MB). */
    public static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;
    private static final int READ_RETRIES = 2;

    static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_TAG_PAGES = 10_000;
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registry;
    private final URI base;
    private final RegistryHttp http;
    private final Duration requestTimeout;
    private final RegistryAuth auth;

    private RegistryClient(Builder builder) {
        this.registry = builder.registry;
        boolean plain = builder.plainHttp != null ? builder.plainHttp : isLoopback(host(builder.registry));
        this.base = URI.create((plain ? "http" : "https") + "://" + apiHost(builder.registry) + "/v2/");
        this.requestTimeout = builder.requestTimeout;
        this.http = new RegistryHttp(builder.connectTimeout, requestTimeout, builder.sslContext, builder.nanoClock);
        this.auth = new RegistryAuth(registry, builder.credentials, http, plain, builder.nanoClock);
    }

    /**
     * A client for {@code hostPort} (e.g. {@code 127.0.0.1:15000}, {@code ghcr.io}): plain HTTP for
     * loopback hosts, HTTPS otherwise; see {@link #builder(String)} to choose.
     */
    public static RegistryClient forRegistry(String hostPort, RegistryCredentials credentials) {
        return builder(hostPort).credentials(credentials).build();
    }

    public static Builder builder(String hostPort) {
        return new Builder(hostPort);
    }

    /** host[:port] as given, as it appears in image references. */
    public String registry() {
        return registry;
    }

    /** The API root, e.g. {@code http://127.0.0.1:15000/v2/}. */
    public URI baseUri() {
        return base;
    }

    // ---------------------------------------------------------------------------------------------- manifests

    /**
     * What a tag or digest points at (HEAD, no body), or empty when the registry does not know it: the
     * cheap way to read the current digest of a stage tag before moving it.
     */
    public Optional<ManifestRef> head(String repository, String reference) {
        return await(head(repository, reference, true));
    }

    public CompletableFuture<Optional<ManifestRef>> headAsync(String repository, String reference) {
        return head(repository, reference, false);
    }

    private CompletableFuture<Optional<ManifestRef>> head(String repository, String reference, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireReference(reference);
        Call call = call("HEAD", repository, "manifests/" + reference, "check", manifestWhat(reference))
                .accept(Manifest.ACCEPT_HEADER);
        return exchange(call, blocking).thenCompose(response -> {
            int status = response.statusCode();
            if (status == 404) {
                return CompletableFuture.completedFuture(Optional.<ManifestRef>empty());
            }
            if (status != 200) {
                throw failure(call, response);
            }
            Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
            if (digest.isPresent() && Names.isDigest(reference) && !digest.get().equals(reference)) {
                throw new RegistryException(call.description() + ": registry answered digest " + digest.get(), 0);
            }
            String mediaType = mediaType(response.headers());
            long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (digest.isPresent() && Names.isDigest(digest.get()) && !mediaType.isEmpty() && size >= 0) {
                return CompletableFuture.completedFuture(Optional.of(new ManifestRef(digest.get(), mediaType, size)));
            }
            // The spec lets a registry omit these headers; only then does a HEAD cost a GET.
            return getManifest(repository, reference, blocking)
                    .thenApply(m -> Optional.of(new ManifestRef(m.digest(), m.mediaType(), m.size())));
        });
    }

    /**
     * The manifest with its exact bytes. Fetched by digest, the body must hash to that digest; a
     * {@code Docker-Content-Digest} header must agree too; bodies over {@link #MAX_MANIFEST_BYTES} are refused.
     */
    public Manifest getManifest(String repository, String reference) {
        return await(getManifest(repository, reference, true));
    }

    public CompletableFuture<Manifest> getManifestAsync(String repository, String reference) {
        return getManifest(repository, reference, false);
    }

    private CompletableFuture<Manifest> getManifest(String repository, String reference, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireReference(reference);
        Call call = call("GET", repository, "manifests/" + reference, "read", manifestWhat(reference))
                .accept(Manifest.ACCEPT_HEADER).maxBytes(MAX_MANIFEST_BYTES);
        return exchange(call, blocking).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw failure(call, response);
            }
            byte[] body = response.body();
            String digest = Names.sha256(body);
            if (Names.isDigest(reference) && !digest.equals(reference)) {
                throw new RegistryException(call.description() + ": the registry's body hashes to " + digest
                        + "; refusing it", 0);
            }
            Optional<String> claimed = response.headers().firstValue("Docker-Content-Digest");
            if (claimed.isPresent() && !claimed.get().equals(digest)) {
                throw new RegistryException(call.description() + ": Docker-Content-Digest says " + claimed.get()
                        + " but the body hashes to " + digest + "; refusing it", 0);
            }
            return Manifest.trusted(manifestMediaType(call, response.headers(), body), body, digest);
        });
    }

    /**
     * Pushes the manifest's exact bytes under a tag (or under its own digest) and returns the digest,
     * checked against what the registry says it stored.
     */
    public String putManifest(String repository, String reference, Manifest manifest) {
        return await(putManifest(repository, reference, manifest, true));
    }

    public CompletableFuture<String> putManifestAsync(String repository, String reference, Manifest manifest) {
        return putManifest(repository, reference, manifest, false);
    }

    private CompletableFuture<String> putManifest(String repository, String reference, Manifest manifest, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireReference(reference);
        Objects.requireNonNull(manifest, "manifest");
        if (Names.isDigest(reference) && !reference.equals(manifest.digest())) {
            throw new IllegalArgumentException("cannot push manifest " + manifest.digest() + " under digest "
                    + reference + ": a manifest can only be pushed by its own digest");
        }
        Call call = call("PUT", repository, "manifests/" + reference, "push",
                "manifest " + manifest.digest() + (Names.isDigest(reference) ? "" : " as tag " + reference))
                .body(manifest.mediaType(), manifest.raw());
        return exchange(call, blocking).thenApply(response -> {
            if (response.statusCode() != 201) {
                throw failure(call, response);
            }
            Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
            if (stored.isPresent() && !stored.get().equals(manifest.digest())) {
                throw new RegistryException(call.description() + ": the registry stored it as " + stored.get()
                        + ", so it did not keep the bytes", 0);
            }
            return manifest.digest();
        });
    }

    /**
     * Points {@code tag} at the artifact {@code digest}: exactly one GET of the manifest by digest and one
     * PUT of the same bytes under the tag. Read the tag's previous digest with {@link #head} first when
     * it is needed (e.g. as a rollback target).
     */
    public RetagResult retag(String repository, String digest, String tag) {
        return await(retag(repository, digest, tag, true));
    }

    public CompletableFuture<RetagResult> retagAsync(String repository, String digest, String tag) {
        return retag(repository, digest, tag, false);
    }

    private CompletableFuture<RetagResult> retag(String repository, String digest, String tag, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireDigest(digest);
        Names.requireTag(tag);
        return getManifest(repository, digest, blocking).thenCompose(manifest -> putManifest(repository, tag, manifest, blocking)
                .thenApply(stored -> new RetagResult(repository, tag, stored, manifest.mediaType(), manifest.size())));
    }

    /** Deletes the manifest (and so every tag on it); registries may refuse with 405 when deletes are off. */
    public void deleteManifest(String repository, String digest) {
        await(deleteManifest(repository, digest, true));
    }

    public CompletableFuture<Void> deleteManifestAsync(String repository, String digest) {
        return deleteManifest(repository, digest, false);
    }

    private CompletableFuture<Void> deleteManifest(String repository, String digest, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireDigest(digest);
        Call call = call("DELETE", repository, "manifests/" + digest, "delete", "manifest " + digest)
                .scope(scope(repository, "delete"));
        return exchange(call, blocking).thenApply(response -> {
            int status = response.statusCode();
            if (status != 202 && status != 200 && status != 204) {
                throw failure(call, response);
            }
            return null;
        });
    }

    /** Every tag of the repository, following {@code Link} pagination. */
    public List<String> tags(String repository) {
        return await(tags(repository, 0, true));
    }

    public CompletableFuture<List<String>> tagsAsync(String repository) {
        return tags(repository, 0, false);
    }

    /** With {@code pageSize} > 0, asks for pages of that size ({@code ?n=}). */
    CompletableFuture<List<String>> tags(String repository, int pageSize, boolean blocking) {
        Names.requireRepository(repository);
        Call call = call("GET", repository, "tags/list" + (pageSize > 0 ? "?n=" + pageSize : ""), "list", "tags")
                .accept("application/json").maxBytes(MAX_MANIFEST_BYTES);
        return tagPage(call, new ArrayList<>(), 0, blocking);
    }

    private CompletableFuture<List<String>> tagPage(Call call, List<String> collected, int page, boolean blocking) {
        return exchange(call, blocking).thenCompose(response -> {
            if (response.statusCode() != 200) {
                throw failure(call, response);
            }
            JsonNode tags = readJson(call, response.body()).path("tags");
            tags.forEach(tag -> collected.add(tag.asText()));
            Optional<URI> next = response.headers().allValues("Link").stream()
                    .map(NEXT_LINK::matcher).filter(Matcher::find).findFirst()
                    .map(m -> call.uri.resolve(m.group(1)));
            if (next.isEmpty() || next.get().equals(call.uri) || page >= MAX_TAG_PAGES
                    || !sameOrigin(next.get(), base)) {
                return CompletableFuture.completedFuture(List.copyOf(collected));
            }
            return tagPage(call.at(next.get()), collected, page + 1, blocking);
        });
    }

    // ---------------------------------------------------------------------------------------------- blobs

    public boolean blobExists(String repository, String digest) {
        return await(blobExists(repository, digest, true));
    }

    public CompletableFuture<Boolean> blobExistsAsync(String repository, String digest) {
        return blobExists(repository, digest, false);
    }

    private CompletableFuture<Boolean> blobExists(String repository, String digest, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireDigest(digest);
        Call call = call("HEAD", repository, "blobs/" + digest, "check", "blob " + digest);
        return exchange(call, blocking).thenApply(response -> {
            int status = response.statusCode();
            if (status == 404) {
                return false;
            }
            // A redirect means the content lives elsewhere (e.g. object storage): it exists.
            if (status == 200 || isRedirect(status)) {
                return true;
            }
            throw failure(call, response);
        });
    }

    /** The blob's bytes, following redirects, refused over {@code maxBytes} or when they do not hash to the digest. */
    public byte[] getBlob(String repository, String digest, long maxBytes) {
        return await(getBlob(repository, digest, maxBytes, true));
    }

    public CompletableFuture<byte[]> getBlobAsync(String repository, String digest, long maxBytes) {
        return getBlob(repository, digest, maxBytes, false);
    }

    private CompletableFuture<byte[]> getBlob(String repository, String digest, long maxBytes, boolean blocking) {
        Names.requireRepository(repository);
        Names.requireDigest(digest);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        Call call = call("GET", repository, "blobs/" + digest, "read", "blob " + digest)
                .maxBytes(Math.min(maxBytes, Integer.MAX_VALUE - 16));
        return following(call, 0, blocking).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw failure(call, response);
            }
            String actual = Names.sha256(response.body());
            if (!actual.equals(digest)) {
                throw new RegistryException(call.description() + ": the content hashes to " + actual
                        + "; refusing it", 0);
            }
            return response.body();
        });
    }

    /**
     * Uploads a blob monolithically (POST, then PUT with {@code ?digest=}) and returns its digest; a
     * blob the repository already has is not sent again.
     */
    public String pushBlob(String repository, byte[] content) {
        return await(pushBlob(repository, content, true));
    }

    public CompletableFuture<String> pushBlobAsync(String repository, byte[] content) {
        return pushBlob(repository, content, false);
    }

    private CompletableFuture<String> pushBlob(String repository, byte[] content, boolean blocking) {
        Names.requireRepository(repository);
        Objects.requireNonNull(content, "content");
        byte[] bytes = content.clone();
        String digest = Names.sha256(bytes);
        return blobExists(repository, digest, blocking).thenCompose(exists -> exists
                ? CompletableFuture.completedFuture(digest)
                : upload(repository, digest, bytes, blocking));
    }

    private CompletableFuture<String> upload(String repository, String digest, byte[] bytes, boolean blocking) {
        Call start = call("POST", repository, "blobs/uploads/", "push", "blob " + digest)
                .body("application/octet-stream", new byte[0]);
        return exchange(start, blocking).thenCompose(started -> {
            if (started.statusCode() != 202) {
                throw failure(start, started);
            }
            String location = started.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                    start.description() + ": the registry started an upload without a Location", 0));
            URI session = start.uri.resolve(location);
            String query = session.getRawQuery();
            URI target = URI.create(session + (query == null ? "?" : "&") + "digest="
                    + URLEncoder.encode(digest, StandardCharsets.UTF_8));
            Call finish = start.at(target).method("PUT").body("application/octet-stream", bytes);
            CompletableFuture<RegistryHttp.Response> sent = sameOrigin(target, base)
                    ? exchange(finish, blocking) : sendOnce(finish, null, blocking);
            return sent.thenApply(response -> {
                if (response.statusCode() != 201) {
                    throw failure(finish, response);
                }
                Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
                if (stored.isPresent() && !stored.get().equals(digest)) {
                    throw new RegistryException(finish.description() + ": the registry stored it as "
                            + stored.get(), 0);
                }
                return digest;
            });
        });
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    /**
     * One request, with credentials when the registry is known to want them, and one retry after a 401
     * challenge. A read answered with a 5xx is repeated (at most {@value #READ_RETRIES} times): the
     * Distribution registry's filesystem storage answers 500 to a read that races a tag being written.
     */
    private CompletableFuture<RegistryHttp.Response> exchange(Call call, boolean blocking) {
        return exchange(call, blocking, isRead(call) ? READ_RETRIES : 0);
    }

    private CompletableFuture<RegistryHttp.Response> exchange(Call call, boolean blocking, int retriesLeft) {
        return authorizedExchange(call, blocking).thenCompose(response -> retriesLeft > 0 && response.statusCode() >= 500
                ? exchange(call, blocking, retriesLeft - 1)
                : CompletableFuture.completedFuture(response));
    }

    private static boolean isRead(Call call) {
        return call.method.equals("GET") || call.method.equals("HEAD");
    }

    private CompletableFuture<RegistryHttp.Response> authorizedExchange(Call call, boolean blocking) {
        return auth.authorizationFor(call.scope, blocking)
                .thenCompose(sent -> sendOnce(call, sent, blocking).thenCompose(response -> {
                    if (response.statusCode() != 401) {
                        return CompletableFuture.completedFuture(response);
                    }
                    return auth.afterUnauthorized(call.scope, sent, response, blocking).thenCompose(retry ->
                            retry == null ? CompletableFuture.completedFuture(response) : sendOnce(call, retry, blocking));
                }));
    }

    private CompletableFuture<RegistryHttp.Response> following(Call call, int hops, boolean blocking) {
        CompletableFuture<RegistryHttp.Response> sent = hops == 0 || sameOrigin(call.uri, base)
                ? exchange(call, blocking) : sendOnce(call, null, blocking);
        return sent.thenCompose(response -> {
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return CompletableFuture.completedFuture(response);
            }
            if (hops >= MAX_REDIRECTS) {
                throw new RegistryException(call.description() + ": more than " + MAX_REDIRECTS + " redirects", 0);
            }
            return following(call.at(call.uri.resolve(location.get())), hops + 1, blocking);
        });
    }

    private CompletableFuture<RegistryHttp.Response> sendOnce(Call call, String authorization, boolean blocking) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (call.accept != null) {
            headers.put("Accept", call.accept);
        }
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (call.body != null) {
            headers.put("Content-Type", call.contentType);
        }
        return http.send(call.method, call.uri, headers, call.body, call.maxBytes, MAX_ERROR_BODY, blocking)
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw transportFailure(call.description(), failure, auth.credentials());
                    }
                    return response;
                });
    }

    private RegistryException failure(Call call, RegistryHttp.Response response) {
        int status = response.statusCode();
        OciError error = OciError.parse(response.body());
        String message;
        if (status == 404) {
            message = call.what + " not found in " + call.where;
        } else if (status == 401 || status == 403) {
            message = "not authorized to " + call.action + " " + call.what + " in " + call.where + " "
                    + auth.credentials().describe();
        } else if (status == 405 && call.method.equals("DELETE")) {
            message = registry + " does not allow deleting " + call.what + " in " + call.where;
        } else if (status == 413) {
            message = call.what + " is too large for " + call.where;
        } else {
            message = "could not " + call.action + " " + call.what + " in " + call.where;
        }
        RegistryCredentials credentials = auth.credentials();
        return new RegistryException(credentials.redact(message + error.suffix(status)), status, error.code(),
                credentials.redact(error.message()), null);
    }

    static RegistryException transportFailure(String description, Throwable failure, RegistryCredentials credentials) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RegistryException registryException) {
            return registryException;
        }
        String why;
        LimitedBody.TooLargeException tooLarge = null;
        for (Throwable t = cause; t != null && tooLarge == null; t = t.getCause()) {
            tooLarge = t instanceof LimitedBody.TooLargeException found ? found : null;
        }
        if (tooLarge != null) {
            why = "the answer is larger than " + tooLarge.limit + " bytes; refusing it";
        } else if (cause instanceof InterruptedException) {
            why = "interrupted";
        } else if (cause instanceof HttpTimeoutException) {
            why = "timed out";
        } else if (cause instanceof ConnectException) {
            why = "cannot connect" + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        } else {
            why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return new RegistryException(credentials.redact(description + ": " + why), cause);
    }

    /** Content-Type without parameters; the JSON's own mediaType must agree when both are there. */
    private String manifestMediaType(Call call, HttpHeaders headers, byte[] body) {
        String header = mediaType(headers);
        String declared;
        try {
            declared = topLevelMediaType(body);
        } catch (IOException e) {
            throw new RegistryException(call.description() + ": the body is not JSON", 0);
        }
        boolean headerIsManifestType = !header.isEmpty() && !header.equals("application/json")
                && !header.equals("application/octet-stream") && !header.equals("text/plain");
        if (headerIsManifestType && declared != null && !declared.equals(header)) {
            throw new RegistryException(call.description() + ": Content-Type " + header
                    + " disagrees with the manifest's mediaType " + declared, 0);
        }
        String mediaType = headerIsManifestType ? header : declared;
        if (mediaType == null || mediaType.isEmpty()) {
            throw new RegistryException(call.description() + ": neither Content-Type nor mediaType names its type", 0);
        }
        return mediaType;
    }

    /** Reads only as far as the top-level mediaType field: this runs on every retag. */
    private static String topLevelMediaType(byte[] body) throws IOException {
        try (JsonParser parser = JSON_FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("mediaType") && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    static String mediaType(HttpHeaders headers) {
        String value = headers.firstValue("Content-Type").orElse("");
        int semicolon = value.indexOf(';');
        return (semicolon >= 0 ? value.substring(0, semicolon) : value).trim().toLowerCase(Locale.ROOT);
    }

    private JsonNode readJson(Call call, byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(call.description() + ": the answer is not JSON", 0);
        }
    }

    /** Waits for an async call the way a synchronous method should: interruptible, throwing the real failure. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new RegistryException("interrupted while waiting for the registry", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new RegistryException("registry request failed: " + cause, cause);
        }
    }

    private Call call(String method, String repository, String path, String action, String what) {
        return new Call(method, base.resolve(repository + "/" + path), null, null, null,
                scope(repository, method.equals("GET") || method.equals("HEAD") ? "pull" : "pull,push"),
                MAX_MANIFEST_BYTES, action, what, registry + "/" + repository);
    }

    private static String scope(String repository, String actions) {
        return "repository:" + repository + ":" + actions;
    }

    private static String manifestWhat(String reference) {
        return Names.isDigest(reference) ? "manifest " + reference : "tag " + reference;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String host(String hostPort) {
        Matcher m = HOST_PORT.matcher(hostPort);
        return m.matches() ? m.group(1) : hostPort;
    }

    /** Docker Hub's references say docker.io, but its API lives elsewhere. */
    private static String apiHost(String hostPort) {
        return hostPort.equals("docker.io") || hostPort.equals("index.docker.io") ? "registry-1.docker.io" : hostPort;
    }

    @Override
    public String toString() {
        return "RegistryClient[" + base + ", " + auth.credentials().describe() + "]";
    }

    /** One request to make, and the words to explain it if it fails. */
    private record Call(String method, URI uri, String accept, String contentType, byte[] body, String scope,
                        long maxBytes, String action, String what, String where) {

        Call accept(String value) {
            return new Call(method, uri, value, contentType, body, scope, maxBytes, action, what, where);
        }

        Call body(String type, byte[] bytes) {
            return new Call(method, uri, accept, type, bytes, scope, maxBytes, action, what, where);
        }

        Call maxBytes(long limit) {
            return new Call(method, uri, accept, contentType, body, scope, limit, action, what, where);
        }

        Call scope(String value) {
            return new Call(method, uri, accept, contentType, body, value, maxBytes, action, what, where);
        }

        Call method(String value) {
            return new Call(value, uri, accept, contentType, body, scope, maxBytes, action, what, where);
        }

        Call at(URI target) {
            return new Call(method, target, accept, contentType, body, scope, maxBytes, action, what, where);
        }

        String description() {
            return action + " " + what + " in " + where;
        }
    }

    /** Options of a {@link RegistryClient}; everything but the registry has a default. */
    public static final class Builder {

        private final String registry;
        private RegistryCredentials credentials = RegistryCredentials.anonymous();
        private Boolean plainHttp;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private SSLContext sslContext;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(String hostPort) {
            Objects.requireNonNull(hostPort, "hostPort");
            if (!HOST_PORT.matcher(hostPort).matches()) {
                throw new IllegalArgumentException("invalid registry '" + hostPort
                        + "': expected host[:port] without scheme or path, e.g. 127.0.0.1:15000 or ghcr.io");
            }
            this.registry = hostPort;
        }

        public Builder credentials(RegistryCredentials value) {
            this.credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        /**
         * Plain HTTP (true) or HTTPS (false). Unset, loopback hosts ({@code localhost}, {@code 127.*},
         * {@code [::1]}) get plain HTTP and every other host HTTPS.
         */
        public Builder plainHttp(boolean value) {
            this.plainHttp = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** How long one request may take, body included. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /** For registries whose certificate chains to a private CA. */
        public Builder sslContext(SSLContext value) {
            this.sslContext = Objects.requireNonNull(value, "sslContext");
            return this;
        }

        /** Lets tests move time forward to expire tokens. */
        Builder nanoClock(LongSupplier value) {
            this.nanoClock = Objects.requireNonNull(value, "nanoClock");
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
