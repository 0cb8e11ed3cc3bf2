package dev.promoter.test.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.promoter.contracts.ArtifactPublished;
import dev.promoter.contracts.CdEventCodec;
import dev.promoter.contracts.DecodedEvent;
import dev.promoter.contracts.Digest;
import dev.promoter.contracts.EventContext;
import dev.promoter.contracts.ServiceDeployed;
import dev.promoter.contracts.ServiceUpgraded;
import dev.promoter.contracts.StagePolicy;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.contracts.Topics;
import dev.promoter.oci.ImageBuilder;
import dev.promoter.testinfra.PipelineFixture;
import dev.promoter.testinfra.RealInfrastructure;
import dev.promoter.testinfra.TopicReader;
import dev.promoter.testinfra.TopicWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer of promotions against the real broker, database and registry: each suite of the stage
 * the artifact entered yields one {@code testsuiterun.finished} on the test-results topic.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class PromotionsConsumerTest {

    static final String REVISION = "org.opencontainers.image.revision";
    private static final Duration WAIT = Duration.ofSeconds(30);


    private PipelineFixture pipeline;
    private TopicWriter writer;
    private TopicReader results;
    private String registryAddress;

    @BeforeEach
    void open() {
        pipeline = PipelineFixture.open();
        writer = pipeline.writer();
        results = pipeline.reader(Topics.TEST_RESULTS);
        registryAddress = pipeline.registryAddress();
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void anImageKeepingEveryRulePassesItsImageChecks() {
        Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef").push("shop/good", "dev"));
        EventContext sent = writer.publish(deployed("good", "shop/good", digest, imageChecks(10_000_000)));

        ConsumerRecord<String, byte[]> record = awaitResults("good", 1).get(0);
        assertThat(record.key()).isEqualTo("good");
        assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo(TestSuiteRunFinished.TYPE);
        DecodedEvent decoded = CdEventCodec.decode(record.value());
        assertThat(decoded.context().chainId()).isEqualTo(sent.chainId());
        assertThat(decoded.context().source()).isEqualTo(URI.create("/promoter/test"));
        assertThat(decoded.event()).isEqualTo(new TestSuiteRunFinished("good", digest, "test", "image-checks", 1,
                Outcome.SUCCESS, null));
    }

    @Test
    void anImageWithoutARequiredLabelFails() {
        Digest digest = Digest.parse(image("1000").push("shop/unlabelled", "dev"));
        writer.publish(deployed("unlabelled", "shop/unlabelled", digest, imageChecks(10_000_000)));

        assertThat(finished(awaitResults("unlabelled", 1).get(0))).isEqualTo(new TestSuiteRunFinished("unlabelled",
                digest, "test", "image-checks", 1, Outcome.FAILURE, "missing label " + REVISION));
    }

    @Test
    void anImageRunningAsRootFails() {
        Digest digest = Digest.parse(image("").label(REVISION, "0123456789abcdef").push("shop/rooted", "dev"));
        writer.publish(deployed("rooted", "shop/rooted", digest, imageChecks(10_000_000)));

        TestSuiteRunFinished result = finished(awaitResults("rooted", 1).get(0));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(result.reason()).isEqualTo("runs as root (user '')");
    }

    @Test
    void anImageLargerThanTheMaximumFails() {
        Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef").push("shop/big", "dev"));
        writer.publish(deployed("big", "shop/big", digest, imageChecks(16)));

        TestSuiteRunFinished result = finished(awaitResults("big", 1).get(0));
        assertThat(result.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(result.reason()).matches("size \\d+ bytes exceeds the maximum of 16 bytes");
    }

    @Test
    void everyPlatformOfAnIndexIsCheckedAndNamed() {
        Digest digest = Digest.parse(image("root").label(REVISION, "0123456789abcdef").pushIndex("shop/multi", "dev"));
        writer.publish(deployed("multi", "shop/multi", digest, imageChecks(10_000_000)));

        assertThat(finished(awaitResults("multi", 1).get(0)).reason())
                .isEqualTo("linux/amd64: runs as root (user 'root'); linux/arm64/v8: runs as root (user 'root')");
    }

    @Test
    void everySuiteOfTheStageReportsItsOwnResultAndAnUnknownKindIsAnError() {
        Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef").push("shop/suites", "test"));
        StagePolicy policy = new StagePolicy(List.of(
                new SuitePolicy("labels", "image-checks", List.of(REVISION), false, 10_000_000),
                new SuitePolicy("strict", "image-checks", List.of(REVISION, "org.opencontainers.image.source"), true,
                        10_000_000),
                new SuitePolicy("smoke", "load-test", List.of(), false, 1)), null);
        writer.publish(new ServiceUpgraded("suites", registryAddress + "/shop/suites", "stage", digest,
                Digest.parse("sha256:" + "0".repeat(64)), "tests passed in test", "promote", policy));

        List<TestSuiteRunFinished> finished = awaitResults("suites", 3).stream().map(PromotionsConsumerTest::finished).toList();
        assertThat(finished).containsExactlyInAnyOrder(
                new TestSuiteRunFinished("suites", digest, "stage", "labels", 1, Outcome.SUCCESS, null),
                new TestSuiteRunFinished("suites", digest, "stage", "strict", 1, Outcome.FAILURE,
                        "missing label org.opencontainers.image.source"),
                new TestSuiteRunFinished("suites", digest, "stage", "smoke", 1, Outcome.ERROR,
                        "unknown suite kind 'load-test'"));
    }

    @Test
    void anArtifactTheRegistryDoesNotHaveIsAnErrorWithTheRegistrysMessage() {
        Digest missing = Digest.parse("sha256:" + "ab".repeat(32));
        writer.publish(deployed("ghost", "shop/ghost", missing, imageChecks(10_000_000)));

        TestSuiteRunFinished result = finished(awaitResults("ghost", 1).get(0));
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.reason()).contains(missing.value()).contains("404");
    }

    @Test
    void anArtifactInAnotherRegistryIsAnError() {
        Digest digest = Digest.parse("sha256:" + "cd".repeat(32));
        writer.publish(new ServiceDeployed("elsewhere", "registry.example.com/shop/cart", "test", digest, null, null,
                null, imageChecks(10_000_000)));

        TestSuiteRunFinished result = finished(awaitResults("elsewhere", 1).get(0));
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.reason()).isEqualTo("repository registry.example.com/shop/cart is not in the registry this"
                + " service reads (" + registryAddress + ")");
    }

    @Test
    void aRedeliveredPromotionRunsNothingTwice() {
        Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef").push("shop/twice", "dev"));
        ServiceDeployed event = deployed("twice", "shop/twice", digest, imageChecks(10_000_000));
        EventContext context = new EventContext(UUID.randomUUID().toString(), URI.create("/promoter/promote"),
                Instant.now(), "chain-" + UUID.randomUUID());
        writer.publish(event, context);
        writer.publish(event, context);
        // Same key, same partition: once this later event's result is out, the redelivery was handled before it.
        writer.publish(new ServiceUpgraded("twice", registryAddress + "/shop/twice", "stage", digest,
                Digest.parse("sha256:" + "0".repeat(64)), null, null, imageChecks(10_000_000)));

        List<TestSuiteRunFinished> finished = awaitResults("twice", 2).stream().map(PromotionsConsumerTest::finished).toList();
        assertThat(finished).extracting(TestSuiteRunFinished::stage).containsExactly("test", "stage");
        assertThat(results.poll("twice")).hasSize(2);
    }

    @Test
    void anArtifactEnteringTheSameStageAgainRunsTheNextAttempt() {
        Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef").push("shop/again", "dev"));
        writer.publish(deployed("again", "shop/again", digest, imageChecks(10_000_000)));
        writer.publish(deployed("again", "shop/again", digest, imageChecks(10_000_000)));

        assertThat(awaitResults("again", 2)).extracting(record -> finished(record).attempt()).containsExactly(1, 2);
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicWithTheReason() {
        try (TopicReader deadLetters = pipeline.deadLetters(Topics.PROMOTIONS, "test")) {
            writer.publishRaw(Topics.PROMOTIONS.name(), "broken", "{not json".getBytes(StandardCharsets.UTF_8));

            ConsumerRecord<String, byte[]> dead = await().atMost(WAIT)
                    .until(() -> deadLetters.poll("broken"), records -> records.size() == 1).get(0);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .startsWith("unreadable event: ");
            assertThat(results.poll("broken")).isEmpty();
        }
    }

    @Test
    void anIndexWithAPlatformOutsideTheAllowedOnesFailsNamingItAndAnAllowedBaseImagePasses() {
        Digest base = Digest.parse("sha256:" + "1".repeat(64));
        Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef")
                .label(ImageChecks.BASE_DIGEST_LABEL, base.value()).pushIndex("shop/platforms", "dev"));
        StagePolicy policy = new StagePolicy(List.of(
                new SuitePolicy("amd64-only", "image-checks", List.of(), true, 10_000_000, 0, List.of("linux/amd64"),
                        List.of(), null, null),
                new SuitePolicy("known-base", "image-checks", List.of(), true, 10_000_000, 0, List.of(), List.of(base),
                        null, null)), null);
        writer.publish(deployed("platforms", "shop/platforms", digest, policy));

        assertThat(awaitResults("platforms", 2).stream().map(PromotionsConsumerTest::finished).toList())
                .containsExactly(
                        new TestSuiteRunFinished("platforms", digest, "test", "amd64-only", 1, Outcome.FAILURE,
                                "linux/arm64/v8: platform linux/arm64/v8 is not allowed (allowed: linux/amd64)"),
                        new TestSuiteRunFinished("platforms", digest, "test", "known-base", 1, Outcome.SUCCESS, null));
    }

    @Test
    void eventsThatAreNoPromotionAreIgnored() {
        try (TopicReader deadLetters = pipeline.deadLetters(Topics.PROMOTIONS, "test")) {
            Digest digest = Digest.parse(image("1000").label(REVISION, "0123456789abcdef").push("shop/other", "dev"));
            ArtifactPublished published = new ArtifactPublished("other", registryAddress + "/shop/other", digest, null,
                    null, null);
            writer.publishRaw(Topics.PROMOTIONS.name(), "other", CdEventCodec.encode(published, new EventContext(
                    UUID.randomUUID().toString(), URI.create("/promoter/build"), Instant.now(), "chain-other")));
            writer.publish(deployed("other", "shop/other", digest, imageChecks(10_000_000)));

            // The promotion after it was handled, so the artifact.published before it was too: without a result.
            assertThat(awaitResults("other", 1)).extracting(record -> finished(record).stage()).containsExactly("test");
            assertThat(deadLetters.poll("other")).isEmpty();
        }
    }

    @Test
    void aStageWithoutSuitesRunsNothing() {
        Digest digest = Digest.parse(image("1000").push("shop/quiet", "dev"));
        writer.publish(deployed("quiet", "shop/quiet", digest, new StagePolicy(List.of(), null)));
        writer.publish(new ServiceUpgraded("quiet", registryAddress + "/shop/quiet", "stage", digest,
                Digest.parse("sha256:" + "0".repeat(64)), null, null, imageChecks(10_000_000)));

        assertThat(awaitResults("quiet", 1)).extracting(record -> finished(record).stage()).containsExactly("stage");
    }

    private List<ConsumerRecord<String, byte[]>> awaitResults(String application, int count) {
        return await().atMost(WAIT).until(() -> results.poll(application), records -> records.size() >= count);
    }

    static TestSuiteRunFinished finished(ConsumerRecord<String, byte[]> record) {
        return (TestSuiteRunFinished) CdEventCodec.decode(record.value()).event();
    }

    static StagePolicy imageChecks(long maxSizeBytes) {
        return new StagePolicy(List.of(new SuitePolicy("image-checks", "image-checks", List.of(REVISION), true,
                maxSizeBytes)), null);
    }

    private ServiceDeployed deployed(String application, String repositoryPath, Digest digest, StagePolicy policy) {
        return new ServiceDeployed(application, registryAddress + "/" + repositoryPath, "test", digest, null,
                "promoted into test", "promote", policy);
    }

    private ImageBuilder image(String user) {
        return pipeline.image().file("/app/version.txt", UUID.randomUUID().toString()).user(user);
    }
}
