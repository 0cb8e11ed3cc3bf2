package dev.promoter.contracts;

import static dev.promoter.contracts.GoldenSamples.APPLICATION;
import static dev.promoter.contracts.GoldenSamples.CHAIN_ID;
import static dev.promoter.contracts.GoldenSamples.DIGEST;
import static dev.promoter.contracts.GoldenSamples.PREVIOUS_DIGEST;
import static dev.promoter.contracts.GoldenSamples.REPOSITORY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.GoldenSamples.Sample;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The golden samples plus variants without optional fields, with every outcome and with every shape of stage
 * policy, for the contract tests.
 */
final class Examples {

    // Nanosecond precision and an absolute source: both must survive the wire.
    private static final EventContext OTHER_CONTEXT = new EventContext("b7c9e4d2-7a51-4f0e-8c3d-2e6f1a9b0c4d",
            URI.create("https://promoter.example/test"), Instant.parse("2026-03-02T10:00:09.123456789Z"), CHAIN_ID);

    /** A stage with nothing to test and no health checks: it promotes on at once. */
    static final StagePolicy EMPTY_POLICY = new StagePolicy(List.of(), null);
    /** No suites but health checks, over https and without a grace period. */
    static final StagePolicy HEALTH_ONLY_POLICY = new StagePolicy(List.of(),
            new HealthCheckPolicy(URI.create("https://cart.staging.example/health?deep=true"), Duration.ofSeconds(10),
                    Duration.ofMillis(2500), 5, 2, Duration.ZERO));
    /** Several suites, one with no required labels and one of a kind no consumer knows yet, plus health checks. */
    static final StagePolicy SEVERAL_SUITES_POLICY = new StagePolicy(List.of(
            new SuitePolicy("image-checks", "image-checks", List.of("org.opencontainers.image.revision",
                    "org.opencontainers.image.source", "org.opencontainers.image.version"), true, 524_288_000L),
            new SuitePolicy("image.size_only", "image-checks", List.of(), false, 9_223_372_036_854_775_807L),
            new SuitePolicy("load", "load-test", List.of(), false, 1L),
            new SuitePolicy("platforms", "image-checks", List.of(), true, 10L, 2, List.of("linux/amd64",
                    "linux/arm64/v8"), List.of(PREVIOUS_DIGEST), null, null),
            new SuitePolicy("cart-api", "http-smoke", List.of(), false, 1L, 1, List.of(), List.of(),
                    new HttpSmokePolicy(URI.create("http://127.0.0.1:18080"), "POST", "/api/cart?dry=1",
                            java.util.Map.of("Accept", "application/json"), 201, "created",
                            java.util.Map.of("/status", "ok", "/items/0/sku", "abc"), Duration.ofMillis(1500), 5,
                            Duration.ofMillis(200), "/stages/test/digest"), null),
            new SuitePolicy("jenkins-it", "external", List.of(), false, 1L, 0, List.of(), List.of(), null,
                    new ExternalSuitePolicy("junit", Duration.ofMinutes(30)))),
            new HealthCheckPolicy(URI.create("http://127.0.0.1:18080/stages/test/health"), Duration.ofMillis(250),
                    Duration.ofMillis(249), 1, 1, Duration.ofMinutes(5)));

    private static final List<Sample> VARIANTS = List.of(
            variant("pipeline-defined-minimal",
                    new PipelineDefined(APPLICATION, REPOSITORY, List.of("dev"), null)),
            variant("pipeline-defined-github-only",
                    new PipelineDefined(APPLICATION, REPOSITORY, List.of("dev", "prod"),
                            new PipelineSource("acme/cart", null, List.of(), null))),
            variant("artifact-published-minimal",
                    new ArtifactPublished(APPLICATION, REPOSITORY, DIGEST, null, null, null)),
            variant("testsuiterun-finished-failure",
                    new TestSuiteRunFinished(APPLICATION, DIGEST, "stage", "smoke-http", 3, Outcome.FAILURE,
                            "GET http://127.0.0.1:9401/health answered 503")),
            variant("testsuiterun-finished-error",
                    new TestSuiteRunFinished(APPLICATION, DIGEST, "test", "image.labels", 1, Outcome.ERROR,
                            "registry answered 502 for the image config")),
            variant("testsuiterun-finished-cancel",
                    new TestSuiteRunFinished(APPLICATION, DIGEST, "test", "junit_CartIT", 1, Outcome.CANCEL, null)),
            variant("service-deployed-minimal",
                    new ServiceDeployed(APPLICATION, REPOSITORY, "dev", DIGEST, null, null, null, EMPTY_POLICY)),
            variant("service-deployed-health-only",
                    new ServiceDeployed(APPLICATION, REPOSITORY, "staging", DIGEST, null, null, null,
                            HEALTH_ONLY_POLICY)),
            variant("service-upgraded-minimal",
                    new ServiceUpgraded(APPLICATION, REPOSITORY, "test", DIGEST, PREVIOUS_DIGEST, null, null,
                            EMPTY_POLICY)),
            variant("service-upgraded-several-suites",
                    new ServiceUpgraded(APPLICATION, REPOSITORY, "test", DIGEST, PREVIOUS_DIGEST, "tests passed",
                            "promote", SEVERAL_SUITES_POLICY)),
            variant("service-rolledback-minimal",
                    new ServiceRolledBack(APPLICATION, "registry.local/cart", "prod", PREVIOUS_DIGEST, DIGEST,
                            "alert CartDown firing", null)));

    private Examples() {
    }

    static Stream<Sample> all() {
        return Stream.concat(GoldenSamples.all().stream(), VARIANTS.stream());
    }

    static ObjectNode encodedTree(Sample sample) {
        return (ObjectNode) tree(CdEventCodec.encode(sample.event(), sample.context()));
    }

    /** The sample's encoding after a change, for the cases a producer of ours would never write. */
    static byte[] mutated(Sample sample, Consumer<ObjectNode> change) {
        ObjectNode root = encodedTree(sample);
        change.accept(root);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode tree(byte[] json) {
        try {
            return Schemas.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Sample variant(String name, PipelineEvent event) {
        return new Sample(name, OTHER_CONTEXT, event);
    }
}
