package dev.promoter.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One golden sample per event type, as JSON under {@code samples/} and as the record it must decode to;
 * services test their consumers against them through this module's test-jar.
 */
public final class GoldenSamples {

    /**
     * A sample: its file {@code samples/<name>.json} and what it holds.
     *
     * @param name    the event type's short name, also the base name of its schema under {@code schemas/}
     * @param context the envelope the file holds
     * @param event   the event the file holds
     */
    public record Sample(String name, EventContext context, PipelineEvent event) {

        /** The classpath resource of the sample's JSON. */
        public String resource() {
            return "samples/" + name + ".json";
        }

        /** The sample's JSON as a Kafka record value. */
        public byte[] json() {
            try (InputStream in = GoldenSamples.class.getClassLoader().getResourceAsStream(resource())) {
                if (in == null) {
                    throw new IllegalStateException(resource() + " is not on the classpath");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static final String APPLICATION = "cart";
    public static final String REPOSITORY = "127.0.0.1:5000/shop/cart";
    /** The artifact the samples follow from its build to its rollback in prod. */
    public static final Digest DIGEST =
            Digest.parse("sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427");
    /** The known-good artifact prod ran before, and goes back to. */
    public static final Digest PREVIOUS_DIGEST =
            Digest.parse("sha256:5e1f0f8c3b7d4a2e9c6b1a0d8f7e6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b");
    /** The correlation id of DIGEST's journey, the same in every sample. */
    public static final String CHAIN_ID = "9d2c6a3e-4b1f-4c8e-a5d7-3f0e1b2c4d6a";

    /** Dev runs one suite, whose result is {@link #TESTSUITERUN_FINISHED}, and has no health checks. */
    public static final StagePolicy DEV_POLICY = new StagePolicy(List.of(
            new SuitePolicy("smoke", "image-checks",
                    List.of("org.opencontainers.image.revision", "org.opencontainers.image.source"), false,
                    1_073_741_824L)),
            null);
    /** Prod checks the image, probes its health and tells #releases (by id); the rollback samples follow from that probe. */
    public static final StagePolicy PROD_POLICY = new StagePolicy(List.of(
            new SuitePolicy("image-checks", "image-checks", List.of("org.opencontainers.image.revision"), true,
                    524_288_000L)),
            new HealthCheckPolicy(URI.create("http://127.0.0.1:18080/stages/prod/health"), Duration.ofMillis(1000),
                    Duration.ofMillis(500), 3, 1, Duration.ofMillis(2000)),
            "C0RELEASES", new DeployHookPolicy(URI.create("http://127.0.0.1:18080/hooks/prod"), "prod-runtime"),
            DriftPolicy.RESTORE);

    public static final Sample ARTIFACT_PUBLISHED = new Sample("artifact-published",
            context("6f1c2b7e-0001-4e6a-9d3b-000000000001", "/promoter/build", "2026-03-02T10:00:00Z"),
            new ArtifactPublished(APPLICATION, REPOSITORY, DIGEST, "9fceb02d0ae598e95dc970b74767f19372d61af8",
                    "http://127.0.0.1:8080/job/cart/42/", "alice", java.time.Instant.parse("2026-03-02T09:41:12Z")));

    public static final Sample SERVICE_DEPLOYED = new Sample("service-deployed",
            context("6f1c2b7e-0002-4e6a-9d3b-000000000002", "/promoter/promote", "2026-03-02T10:00:01Z"),
            new ServiceDeployed(APPLICATION, REPOSITORY, "dev", DIGEST, null, "artifact published", "promote",
                    DEV_POLICY));

    public static final Sample TESTSUITERUN_FINISHED = new Sample("testsuiterun-finished",
            context("6f1c2b7e-0003-4e6a-9d3b-000000000003", "/promoter/test", "2026-03-02T10:00:09Z"),
            new TestSuiteRunFinished(APPLICATION, DIGEST, "dev", "smoke", 1, TestSuiteRunFinished.Outcome.SUCCESS,
                    null));

    public static final Sample SERVICE_UPGRADED = new Sample("service-upgraded",
            context("6f1c2b7e-0004-4e6a-9d3b-000000000004", "/promoter/promote", "2026-03-02T11:30:00Z"),
            new ServiceUpgraded(APPLICATION, REPOSITORY, "prod", DIGEST, PREVIOUS_DIGEST,
                    "gates passed: suites in stage, soak 30m, approved", "bob", PROD_POLICY));

    public static final Sample SERVICE_ROLLEDBACK = new Sample("service-rolledback",
            context("6f1c2b7e-0005-4e6a-9d3b-000000000005", "/promoter/rollback", "2026-03-02T11:31:30Z"),
            new ServiceRolledBack(APPLICATION, REPOSITORY, "prod", PREVIOUS_DIGEST, DIGEST,
                    "health check 'http' failed 3 times in a row",
                    "GET http://127.0.0.1:9400/health answered 503 at 11:31:10, 11:31:20, 11:31:30"));

    public static final Sample ARTIFACT_QUARANTINED = new Sample("artifact-quarantined",
            context("6f1c2b7e-0006-4e6a-9d3b-000000000006", "/promoter/rollback", "2026-03-02T11:31:30.250Z"),
            new ArtifactQuarantined(APPLICATION, REPOSITORY, "prod", DIGEST,
                    "health check 'http' failed 3 times in a row"));

    public static final Sample PIPELINE_DEFINED = new Sample("pipeline-defined",
            context("6f1c2b7e-0000-4e6a-9d3b-000000000000", "/promoter/promote", "2026-03-02T09:00:00Z"),
            new PipelineDefined(APPLICATION, REPOSITORY, List.of("dev", "test", "stage", "prod"),
                    new PipelineSource("acme/shop-cart", "acme/shop/cart", List.of("main"),
                            new PipelineSource.JenkinsBuilder(URI.create("https://ci.example/"), "shop-cart/main",
                                    "ci")), 3, "api:ada-cli", List.of("prod")));

    public static final Sample SERVICE_HEALTHY = new Sample("service-healthy",
            context("6f1c2b7e-0007-4e6a-9d3b-000000000007", "/promoter/rollback", "2026-03-02T10:05:00Z"),
            new ServiceHealthy(APPLICATION, REPOSITORY, "stage", DIGEST));

    public static final Sample ARTIFACT_UNQUARANTINED = new Sample("artifact-unquarantined",
            context("6f1c2b7e-0007-4e6a-9d3b-000000000007", "/promoter/rollback", "2026-03-02T14:05:00Z"),
            new ArtifactUnquarantined(APPLICATION, REPOSITORY, "prod", DIGEST,
                    "the failure was the payment provider's outage", "alice"));

    public static final Sample STAGE_DRIFTED = new Sample("stage-drifted",
            context("6f1c2b7e-0008-4e6a-9d3b-000000000008", "/promoter/rollback", "2026-03-02T15:00:00Z"),
            new StageDrifted(APPLICATION, REPOSITORY, "prod", PREVIOUS_DIGEST, DIGEST, true));

    public static final Sample ROLLBACK_HELD = new Sample("rollback-held",
            context("6f1c2b7e-0009-4e6a-9d3b-000000000009", "/promoter/rollback", "2026-03-02T16:00:00Z"),
            new RollbackHeld(APPLICATION, REPOSITORY, "prod", DIGEST, "no earlier digest was healthy in prod",
                    "HTTP 503, HTTP 503, HTTP 503"));

    private static final List<Sample> ALL = List.of(ARTIFACT_PUBLISHED, SERVICE_DEPLOYED, TESTSUITERUN_FINISHED,
            SERVICE_UPGRADED, SERVICE_ROLLEDBACK, ARTIFACT_QUARANTINED, PIPELINE_DEFINED, SERVICE_HEALTHY,
            ARTIFACT_UNQUARANTINED, STAGE_DRIFTED, ROLLBACK_HELD);

    private GoldenSamples() {
    }

    /** Every sample, in the order the artifact's journey produced them. */
    public static List<Sample> all() {
        return ALL;
    }

    private static EventContext context(String id, String source, String timestamp) {
        return new EventContext(id, URI.create(source), Instant.parse(timestamp), CHAIN_ID);
    }
}
