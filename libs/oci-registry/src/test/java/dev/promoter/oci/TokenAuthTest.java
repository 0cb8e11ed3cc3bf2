package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token flow of distribution's {@code docs/spec/auth/token.md}: a registry that answers 401 with a
 * Bearer challenge, and a token endpoint that checks Basic credentials, service and scope.
 */
class TokenAuthTest {

    static final String SERVICE = "stand-in.registry";
    static final byte[] MANIFEST = ManifestVerificationTest.MANIFEST;
    static final String DIGEST = ManifestVerificationTest.MANIFEST_DIGEST;

    /** token → the actions it grants on shop/cart. */
    final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
    final AtomicInteger issued = new AtomicInteger();
    volatile boolean accessTokenOnly;
    StandIn tokenEndpoint;
    StandIn registry;

    @BeforeEach
    void start() {
        tokenEndpoint = StandIn.start((request, exchange) -> {
            if (!BasicAuthTest.ALICE.equals(request.authorization())) {
                StandIn.respond(exchange, 401, Map.of("Content-Type", "application/json"),
                        StandIn.ociError("UNAUTHORIZED", "invalid username or password"));
                return;
            }
            Map<String, List<String>> query = query(request.uri());
            if (!List.of(SERVICE).equals(query.get("service")) || !request.path().equals("/token")) {
                StandIn.respond(exchange, 400, Map.of(), "unknown service");
                return;
            }
            Set<String> actions = ConcurrentHashMap.newKeySet();
            for (String scope : query.getOrDefault("scope", List.of())) {
                String[] parts = scope.split(":");
                if (parts.length == 3 && parts[0].equals("repository") && parts[1].equals("shop/cart")) {
                    actions.addAll(List.of(parts[2].split(",")));
                }
            }
            String token = "tok-" + issued.incrementAndGet();
            grants.put(token, actions);
            String body = accessTokenOnly
                    ? "{\"access_token\":\"" + token + "\",\"expires_in\":300}"
                    : "{\"token\":\"" + token + "\",\"expires_in\":300,\"issued_at\":\"" + Instant.now() + "\"}";
            StandIn.respond(exchange, 200, Map.of("Content-Type", "application/json"), body);
        });
        registry = StandIn.start((request, exchange) -> {
            String needed = request.method().equals("PUT") ? "push" : "pull";
            String authorization = request.authorization();
            Set<String> granted = authorization != null && authorization.startsWith("Bearer ")
                    ? grants.getOrDefault(authorization.substring(7), Set.of()) : Set.of();
            if (!granted.contains(needed)) {
                String scope = "repository:shop/cart:" + (needed.equals("push") ? "pull,push" : "pull");
                StandIn.respond(exchange, 401, Map.of("Content-Type", "application/json",
                                "WWW-Authenticate", "Bearer realm=\"" + tokenEndpoint.url() + "/token\",service=\""
                                        + SERVICE + "\",scope=\"" + scope + "\""
                                        + (authorization != null ? ",error=\"insufficient_scope\"" : "")),
                        StandIn.ociError("UNAUTHORIZED", "authentication required"));
            } else if (needed.equals("push")) {
                StandIn.respond(exchange, 201, Map.of("Docker-Content-Digest", Names.sha256(request.body()),
                        "Location", "/v2/shop/cart/manifests/" + Names.sha256(request.body())), new byte[0]);
            } else {
                StandIn.respond(exchange, 200, Map.of("Content-Type", Manifest.OCI_MANIFEST,
                        "Docker-Content-Digest", DIGEST), MANIFEST);
            }
        });
    }

    @AfterEach
    void stop() {
        registry.close();
        tokenEndpoint.close();
    }

    private RegistryClient client(String password, AtomicLong clock) {
        return RegistryClient.builder(registry.hostPort()).credentials(RegistryCredentials.basic("alice", password))
                .nanoClock(clock::get).build();
    }

    @Test
    void theClientGetsATokenOnceAndReusesItForTheNextRequest() {
        RegistryClient client = client(BasicAuthTest.PASSWORD, new AtomicLong());

        assertThat(client.head("shop/cart", "prod")).map(ManifestRef::digest).contains(DIGEST);
        assertThat(client.getManifest("shop/cart", DIGEST).bytes()).isEqualTo(MANIFEST);

        assertThat(tokenEndpoint.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/token");
            assertThat(query(request.uri())).isEqualTo(Map.of("service", List.of(SERVICE),
                    "scope", List.of("repository:shop/cart:pull")));
            assertThat(request.authorization()).isEqualTo(BasicAuthTest.ALICE);
        });
        assertThat(registry.requests()).extracting(r -> r.method() + " " + r.authorization())
                .containsExactly("HEAD null", "HEAD Bearer tok-1", "GET Bearer tok-1");
    }

    @Test
    void aRetagAsksForPullAndPushOnceAndAWarmRetagCostsOnlyGetAndPut() {
        RegistryClient client = client(BasicAuthTest.PASSWORD, new AtomicLong());

        client.retag("shop/cart", DIGEST, "prod");
        int registryRequestsAfterFirst = registry.requests().size();
        client.retag("shop/cart", DIGEST, "stage");

        assertThat(tokenEndpoint.requests()).extracting(r -> query(r.uri()).get("scope"))
                .containsExactly(List.of("repository:shop/cart:pull"), List.of("repository:shop/cart:pull,push"));
        assertThat(registry.requests().subList(registryRequestsAfterFirst, registry.requests().size()))
                .extracting(r -> r.method() + " " + r.uri() + " " + r.authorization())
                .containsExactly("GET /v2/shop/cart/manifests/" + DIGEST + " Bearer tok-1",
                        "PUT /v2/shop/cart/manifests/stage Bearer tok-2");
    }

    @Test
    void concurrentRequestsOfAColdClientShareOneTokenFetch() {
        RegistryClient client = client(BasicAuthTest.PASSWORD, new AtomicLong());

        List<CompletableFuture<Manifest>> reads = IntStream.range(0, 8)
                .mapToObj(i -> client.getManifestAsync("shop/cart", "prod")).toList();

        assertThat(reads).allSatisfy(read -> assertThat(read.join().digest()).isEqualTo(DIGEST));
        assertThat(tokenEndpoint.requests()).hasSize(1);
    }

    @Test
    void aWrongPasswordIsAClear401WithoutThePassword() {
        String wrong = "Wr0ng-Secret-Value";
        RegistryClient client = client(wrong, new AtomicLong());

        assertThatThrownBy(() -> client.head("shop/cart", "prod"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.errorCode()).contains("UNAUTHORIZED");
                    assertThat(e.getMessage()).isEqualTo("token endpoint " + tokenEndpoint.url()
                            + "/token (scope repository:shop/cart:pull) refused the credentials of user 'alice'"
                            + " (401 UNAUTHORIZED: invalid username or password)");
                    assertThat(e.toString()).doesNotContain(wrong);
                });
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void anAccessTokenIsAsGoodAsAToken() {
        accessTokenOnly = true;
        RegistryClient client = client(BasicAuthTest.PASSWORD, new AtomicLong());

        assertThat(client.getManifest("shop/cart", "prod").digest()).isEqualTo(DIGEST);
    }

    @Test
    void anExpiredTokenIsReplacedBeforeTheRequestWithoutAnother401() {
        AtomicLong clock = new AtomicLong();
        RegistryClient client = client(BasicAuthTest.PASSWORD, clock);
        client.getManifest("shop/cart", "prod");

        clock.addAndGet(TimeUnit.SECONDS.toNanos(250));
        client.getManifest("shop/cart", "prod");
        assertThat(tokenEndpoint.requests()).hasSize(1);

        clock.addAndGet(TimeUnit.SECONDS.toNanos(51));
        client.getManifest("shop/cart", "prod");

        assertThat(tokenEndpoint.requests()).hasSize(2);
        assertThat(registry.requests()).extracting(StandIn.Request::authorization)
                .containsExactly(null, "Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void aTokenTheRegistryNoLongerAcceptsIsReplacedOnce() {
        RegistryClient client = client(BasicAuthTest.PASSWORD, new AtomicLong());
        client.getManifest("shop/cart", "prod");

        grants.clear();
        assertThat(client.getManifest("shop/cart", "prod").digest()).isEqualTo(DIGEST);

        assertThat(tokenEndpoint.requests()).hasSize(2);
        assertThat(registry.requests()).extracting(StandIn.Request::authorization)
                .containsExactly(null, "Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    static Map<String, List<String>> query(String uri) {
        Map<String, List<String>> params = new ConcurrentHashMap<>();
        int q = uri.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
