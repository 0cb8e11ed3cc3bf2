package dev.promoter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.harness.LocalPipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos run in small, through the same load and checker as {@code ./pipeline chaos}: one fault, a {@code kill -9}
 * of promote under load, ends with nothing lost, duplicated or dead-lettered; and the checker does find what it
 * looks for when it is there (an artifact the pipeline never saw, a tag moved behind the pipeline's back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosStoryIT {

    static LocalPipeline pipeline;
    static Chaos chaos;
    static Checker checker;
    static Chaos.Settings settings;

    @BeforeAll
    static void start() {
        long began = System.nanoTime();
        pipeline = LocalPipeline.start();
        settings = new Chaos.Settings(2, List.of(Fault.kill("promote")), Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(60), Duration.ofMinutes(5));
        chaos = new Chaos(pipeline, settings, began);
        checker = new Checker(pipeline.api(), pipeline.registry(), pipeline.bootstrapServers(), java.util.Map.of(),
                java.util.Map.of());
    }

    @AfterAll
    static void stop() {
        if (chaos != null) {
            chaos.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void promoteKilledUnderLoadLosesNothing() {
        Outcome outcome = chaos.inject(Fault.kill("promote"));

        assertThat(outcome.error()).isNull();
        assertThat(outcome.accepted()).as("artifacts accepted around the fault").isPositive();
        assertThat(outcome.lost()).as("lost").isEmpty();
        assertThat(outcome.duplicated()).as("duplicated").isEmpty();
        assertThat(outcome.wrong()).as("in a stage their suites forbid").isEmpty();
        assertThat(outcome.inconsistent()).as("stages whose registry tag, promote and rollback disagree").isEmpty();
        assertThat(outcome.deadLettered()).as("dead-lettered").isZero();
        assertThat(outcome.settledSeconds()).as("settled within the settle time").isNotNaN();
        assertThat(outcome.recoverySeconds()).as("the pipeline moved again after the restart").isNotNaN();
    }

    @Test
    @Order(2)
    void theCheckerFindsAnArtifactThePipelineNeverCarriedAndATagMovedBehindItsBack() {
        List<String> applications = List.of("chaos-1");
        String repository = Load.repository("chaos-1");
        String stranger = new dev.promoter.oci.ImageBuilder(pipeline.registry())
                .file("/app/version.txt", "never reported\n").push(repository, "stranger");
        List<Artifact> artifacts = new ArrayList<>(chaos.accepted());
        artifacts.add(new Artifact("chaos-1", stranger, Artifact.Kind.GOOD, Instant.now(), "story"));

        pipeline.registry().retag(repository, stranger, "test");

        Checker.Look look = checker.look(applications, artifacts);
        assertThat(look.lost()).extracting(Artifact::digest).containsExactly(stranger);
        assertThat(look.inconsistent()).singleElement().asString().startsWith("chaos-1 test: registry "
                + stranger.substring(7, 19));
    }
}
