package dev.promoter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.cli.EnvFile;
import dev.promoter.cli.Promoter;
import dev.promoter.cli.StatusView;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.oci.ManifestRef;
import dev.promoter.oci.RegistryClient;
import dev.promoter.oci.RegistryCredentials;
import dev.promoter.oci.RegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code ./pipeline demo}: carries the sample application {@code shop-cart} through dev → test → stage → prod
 * on the running local stack, twice — v1 stays healthy in prod; v2's health fails there and the pipeline moves
 * prod back to v1 on its own — and prints what happened, confirmed from the registry, then each stage's
 * deployment history.
 */
public final class Demo {

    static final String APPLICATION = "shop-cart";
    static final String REPOSITORY = "demo/shop-cart";
    static final List<String> STAGES = List.of("dev", "test", "stage", "prod");
    static final String CALLER = "local";
    // Moves take well under 1 s. Before the consumers kept their group identity across restarts, the first one after
    // "./pipeline down; ./pipeline up" waited for the old members' sessions to end (35-45 s); generous all the same.
    static final Duration MOVE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ROLLBACK_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;
    private final String registryAddress;
    private final RegistryClient registry;
    private final PipelineApi api;
    private final SampleAppProcess sampleApp;
    private final int samplePort;
    private final Map<String, String> versions = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    Demo(Path stateDir, String registryAddress, PipelineApi api, int samplePort) {
        this.stateDir = stateDir;
        this.registryAddress = registryAddress;
        this.registry = RegistryClient.builder(registryAddress).credentials(RegistryCredentials.anonymous())
                .requestTimeout(Duration.ofSeconds(5)).build();
        this.api = api;
        this.samplePort = samplePort;
        this.sampleApp = new SampleAppProcess(stateDir, samplePort);
    }

    public static void main(String[] args) {
        Path stateDir = Path.of(System.getenv().getOrDefault("PIPELINE_STATE_DIR", ".pipeline")).toAbsolutePath();
        int status = 1;
        try {
            fromStateDir(stateDir).run();
            status = 0;
        } catch (DemoFailure e) {
            failed(e.getMessage(), e.hint());
        } catch (PipelineApi.CallFailed e) {
            failed(e.getMessage(), "read the service's log in " + stateDir.resolve("logs"));
        } catch (UncheckedIOException e) {
            failed("a service did not answer: " + e.getMessage(), "is the stack still up? ./pipeline status");
        } catch (RuntimeException e) {
            failed("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "read the service logs in " + stateDir.resolve("logs"));
        }
        System.exit(status);
    }

    /** A demo against the stack {@code ./pipeline up} started, configured from its files in {@code stateDir}. */
    static Demo fromStateDir(Path stateDir) {
        Map<String, String> stack = EnvFile.read(stateDir.resolve("stack.env"));
        Map<String, String> secrets = EnvFile.read(stateDir.resolve("secrets.env"));
        // The caller "local" is admin in every service (infra/local/services.sh writes its roles beside the tokens).
        PipelineApi.Tokens tokens = new PipelineApi.Tokens(secrets.get("BUILD_API_TOKENS_" + CALLER.toUpperCase()),
                secrets.get("TEST_API_TOKENS_" + CALLER.toUpperCase()),
                secrets.get("PROMOTE_API_TOKENS_" + CALLER.toUpperCase()),
                secrets.get("ROLLBACK_API_TOKENS_" + CALLER.toUpperCase()));
        if (tokens.build() == null || tokens.test() == null || tokens.promote() == null || tokens.rollback() == null) {
            throw new DemoFailure("no API tokens in " + stateDir.resolve("secrets.env"),
                    "start the stack with ./pipeline up: infra/local/services.sh writes the tokens there");
        }
        String registryAddress = stack.getOrDefault("PIPELINE_REGISTRY_ADDRESS",
                System.getenv().getOrDefault("PIPELINE_REGISTRY_ADDRESS", "127.0.0.1:15000"));
        int port = Integer.parseInt(System.getenv().getOrDefault("PIPELINE_SAMPLE_APP_PORT",
                Integer.toString(SampleApp.DEFAULT_PORT)));
        return new Demo(stateDir, registryAddress,
                new PipelineApi(PipelineApi.Endpoints.local(), tokens), port);
    }

    void run() {
        say("Carrying %s (%s/%s) through %s, twice.", APPLICATION, registryAddress, REPOSITORY,
                String.join(" → ", STAGES));
        servicesReady();
        String revision1 = fakeCommit();
        String revision2 = fakeCommit();
        String v1 = push("v1", revision1, null);
        say("pushed v1 %s (commit %s): healthy everywhere", StatusView.shortDigest(v1), revision1.substring(0, 7));
        String v2 = push("v2", revision2, "prod");
        say("pushed v2 %s (commit %s): label %s=prod, so its health fails in prod",
                StatusView.shortDigest(v2), revision2.substring(0, 7), SampleApp.FAILS_IN_LABEL);

        boolean started = sampleApp.ensureRunning(registryAddress, REPOSITORY);
        say("sample app %s on http://127.0.0.1:%d/stages/{stage}/health: it answers for the image each stage tag"
                + " points at%s", started ? "started" : "already running", samplePort,
                started ? " (log: " + sampleApp.logFile() + ")" : "");

        api.definePipeline(APPLICATION, definition());
        say("pipeline definition saved: image-checks suite in dev; health probed in every stage every 500 ms"
                + " (3 failures fail it, 2 successes after a 1 s grace make a digest healthy); prod needs one approval"
                + " from the release manager (API caller %s)", CALLER);

        api.reportBuild(APPLICATION, registryAddress + "/" + REPOSITORY, v1, revision1, "demo");
        say("build of v1 reported to the build service; watching the registry's stage tags:");
        follow(v1);
        awaitStep(HEALTHY_TIMEOUT, "v1 did not become healthy in prod",
                "read " + log("rollback") + "; the probe URL is http://127.0.0.1:" + samplePort + "/stages/prod/health",
                () -> PipelineApi.healthyIn(api.rollbackHistory(APPLICATION, "prod"), v1));
        say("v1 is healthy in prod (rollback service): it is prod's rollback target from now on");

        api.reportBuild(APPLICATION, registryAddress + "/" + REPOSITORY, v2, revision2, "demo");
        say("build of v2 reported; watching again:");
        long v2InProd = follow(v2);
        rollBack(v1, v2, v2InProd);

        awaitStep(Duration.ofSeconds(15), "promote did not record the rollback of prod",
                "read " + log("promote") + " (it hears service.rolledback on pipeline.rollbacks.v1)", () -> {
                    JsonNode prod = PipelineApi.stage(api.application(APPLICATION), "prod");
                    boolean quarantined = false;
                    for (JsonNode digest : prod.path("quarantined")) {
                        quarantined |= v2.equals(digest.asText());
                    }
                    return v1.equals(prod.path("current").asText()) && quarantined;
                });
        say("promote's view agrees: prod runs v1, v2 is quarantined there and will not be promoted again");
        awaitStep(HEALTHY_TIMEOUT, "prod did not become healthy again on v1", "read " + log("rollback"), () -> {
            JsonNode prod = api.rollbackHistory(APPLICATION, "prod");
            return prod != null && v1.equals(prod.path("current").asText())
                    && "healthy".equals(prod.path("health").asText());
        });
        say("prod is healthy again on v1");

        System.out.println();
        System.out.println("Each stage's deployment history, newest first (● is what the stage runs), as the CLI"
                + " shows it:");
        promoter("status", APPLICATION);
        say("done. The stack keeps running: ./pipeline status; stop it with ./pipeline down");
    }

    private void servicesReady() {
        Map<String, URI> services = new LinkedHashMap<>();
        services.put("build", api.endpoints().build());
        services.put("test", api.endpoints().test());
        services.put("promote", api.endpoints().promote());
        services.put("rollback", api.endpoints().rollback());
        services.forEach((name, base) -> {
            if (!api.ready(base)) {
                throw new DemoFailure(name + " is not ready at " + base,
                        "start the stack with ./pipeline up, then read " + log(name) + " if it still is not");
            }
        });
        say("build, test, promote and rollback are ready");
    }

    private String push(String version, String revision, String failsIn) {
        ImageBuilder image = new ImageBuilder(registry)
                .file("/app/version.txt", APPLICATION + " " + version + " " + revision + "\n")
                .file("/app/run.sh", "#!/bin/sh\nexec echo 'shop-cart " + version + "'\n")
                .label("org.opencontainers.image.revision", revision)
                .label("org.opencontainers.image.version", version)
                .user("1000");
        if (failsIn != null) {
            image.label(SampleApp.FAILS_IN_LABEL, failsIn);
        }
        try {
            String digest = image.push(REPOSITORY, "build-" + version);
            versions.put(digest, version);
            return digest;
        } catch (RegistryException e) {
            throw new DemoFailure("could not push " + version + " to " + registryAddress + ": " + e.getMessage(),
                    "is the registry up? ./pipeline status; read " + log("registry"));
        }
    }

    private String definition() {
        StringBuilder yaml = new StringBuilder()
                .append("# The demo's pipeline: written by ./pipeline demo\n")
                .append("application: ").append(APPLICATION).append('\n')
                .append("repository: ").append(registryAddress).append('/').append(REPOSITORY).append('\n')
                .append("stages:\n");
        for (String stage : STAGES) {
            yaml.append("  - name: ").append(stage).append('\n');
            if (stage.equals("dev")) {
                yaml.append("""
                            suites:
                              - name: image-checks
                                kind: image-checks
                                requiredLabels: [org.opencontainers.image.revision]
                                nonRoot: true
                        """);
            }
            if (stage.equals("prod")) {
                // The demo's caller is the release manager; the build's author ("demo") may not approve (four eyes).
                yaml.append("""
                            gates:
                              approvals: { count: 1, from: ["api:%s"], expiry: 1h }
                        """.formatted(CALLER));
            }
            yaml.append("""
                        health:
                          url: http://127.0.0.1:%d/stages/%s/health
                          interval: 500ms
                          timeout: 300ms
                          failureThreshold: 3
                          successThreshold: 2
                          gracePeriod: 1s
                    """.formatted(samplePort, stage));
        }
        return yaml.toString();
    }

    /**
     * Prints each stage as its registry tag reaches the digest, in order; returns when prod has it (nanoTime). A
     * stage whose move promote already recorded counts too, so a tag that moved on quickly is not missed.
     */
    private long follow(String digest) {
        String version = versions.get(digest);
        long deadline = System.nanoTime() + MOVE_TIMEOUT.toNanos();
        int reached = 0;
        while (true) {
            JsonNode application = api.application(APPLICATION);
            while (reached < STAGES.size()) {
                String stage = STAGES.get(reached);
                JsonNode move = moveInto(application, stage, digest);
                if (move == null && tag(stage).filter(digest::equals).isEmpty()) {
                    break;
                }
                System.out.printf("    %-6s → %s %s  %6s  %s%n", stage, version, StatusView.shortDigest(digest),
                        elapsed(), move != null ? move.path("reason").asText("") : reason(stage, digest));
                reached++;
            }
            if (reached == STAGES.size()) {
                return System.nanoTime();
            }
            approveIfAsked(application, STAGES.get(reached), digest, version);
            if (System.nanoTime() > deadline) {
                String stage = STAGES.get(reached);
                throw new DemoFailure(stage + " did not reach " + version + " within " + MOVE_TIMEOUT.toSeconds() + " s",
                        reached == 0 ? "read " + log("build") + " (artifact.published sent?) and " + log("promote")
                                : "read " + log("test") + " (suites of " + STAGES.get(reached - 1) + ") and "
                                        + log("promote") + " (gates into " + stage + ")");
            }
            Pause.briefly();
        }
    }

    /**
     * When the digest waits for an approval to enter the stage, shows why (promote's words) and gives it with the
     * CLI, as a release manager would (or by clicking Approve in Slack).
     */
    private void approveIfAsked(JsonNode application, String stage, String digest, String version) {
        String blocked = application == null ? null : PipelineApi.blockedBecause(application, stage, digest);
        if (blocked == null || !blocked.contains("approval")) {
            return;
        }
        System.out.printf("    %-6s ⏸ %s %s  %6s  waits: %s%n", stage, version, StatusView.shortDigest(digest),
                elapsed(), blocked);
        promoter("approve", APPLICATION, stage, "-m", "release manager: ship " + version);
    }

    /**
     * Runs one {@code promoter} command in this process, against this demo's stack only (its addresses as flags, its
     * tokens from the state folder's secrets.env; no config file or PROMOTER_* variable of the user's), and prints
     * it as typed and what it printed, indented.
     */
    private void promoter(String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        System.out.println("    $ promoter " + String.join(" ", line.stream()
                .map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()));
        PipelineApi.Endpoints at = api.endpoints();
        line.addAll(List.of("--build-url", at.build().toString(), "--test-url", at.test().toString(),
                "--promote-url", at.promote().toString(), "--rollback-url", at.rollback().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Promoter.run(line.toArray(String[]::new),
                new Promoter.Environment(Map.of("PIPELINE_STATE_DIR", stateDir.toString()), null, null,
                        Clock.systemUTC()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        out.toString(StandardCharsets.UTF_8).lines().forEach(l -> System.out.println(l.isEmpty() ? "" : "    " + l));
        if (status != 0) {
            throw new DemoFailure("promoter " + args[0] + " ended with status " + status + ": "
                    + err.toString(StandardCharsets.UTF_8).strip(), "read " + log("promote"));
        }
    }

    /** Watches prod's health fail and the rollback service move the prod tag back, from the registry. */
    private void rollBack(String v1, String v2, long v2InProd) {
        long deadline = System.nanoTime() + ROLLBACK_TIMEOUT.toNanos();
        boolean sawDown = false;
        while (true) {
            if (!sawDown) {
                Optional<String> down = prodHealthDown();
                if (down.isPresent()) {
                    sawDown = true;
                    say("prod health answers 503 DOWN: %s", down.get());
                }
            }
            if (tag("prod").filter(v1::equals).isPresent()) {
                say("the registry says %s/%s:prod → %s again: prod rolled back to v1 on its own, %.1f s after v2"
                                + " reached it", registryAddress, REPOSITORY, StatusView.shortDigest(v1),
                        (System.nanoTime() - v2InProd) / 1e9);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DemoFailure("prod was not rolled back to v1 within " + ROLLBACK_TIMEOUT.toSeconds() + " s"
                                + (sawDown ? " although its health failed" : ""),
                        "read " + log("rollback") + (sawDown ? "" : " and " + sampleApp.logFile()));
            }
            Pause.briefly();
        }
    }

    private Optional<String> prodHealthDown() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + samplePort + "/stages/prod/health"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 503) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.body()).path("detail").asText(""));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Promote's record of the stage's move to the digest, or null while it has none. */
    private static JsonNode moveInto(JsonNode application, String stage, String digest) {
        for (JsonNode entry : PipelineApi.stage(application, stage).path("history")) {
            if (digest.equals(entry.path("digest").asText())) {
                return entry;
            }
        }
        return null;
    }

    /** Why promote moved the stage to the digest: its commit may follow the registry's tag by a moment. */
    private String reason(String stage, String digest) {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        do {
            JsonNode move = moveInto(api.application(APPLICATION), stage, digest);
            if (move != null) {
                return move.path("reason").asText("");
            }
            Pause.briefly();
        } while (System.nanoTime() < deadline);
        return "";
    }

    private Optional<String> tag(String stage) {
        try {
            return registry.head(REPOSITORY, stage).map(ManifestRef::digest);
        } catch (RegistryException e) {
            throw new DemoFailure("the registry did not answer: " + e.getMessage(), "read " + log("registry"));
        }
    }

    private void awaitStep(Duration timeout, String failure, String hint, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new DemoFailure(failure + " within " + timeout.toSeconds() + " s", hint);
            }
            Pause.briefly();
        }
    }

    private String log(String part) {
        return stateDir.resolve("logs").resolve(part + ".log").toString();
    }

    private String elapsed() {
        return String.format("+%.1fs", (System.nanoTime() - startNanos) / 1e9);
    }

    private void say(String format, Object... args) {
        System.out.printf("[%6s] %s%n", elapsed(), String.format(format, args));
    }

    private static String fakeCommit() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void failed(String message, String hint) {
        System.out.flush();
        System.err.println();
        System.err.println("demo failed: " + message);
        System.err.println("  hint: " + hint);
    }
}
