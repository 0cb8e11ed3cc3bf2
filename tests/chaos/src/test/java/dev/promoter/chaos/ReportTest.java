package dev.promoter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault's row tells an artifact that was not where it belongs when the settle time ran out, but was by the end of
 * the run (late), from one still missing at the end (lost). The RELIABILITY.md of 2026-12-07 counted as lost an
 * unhealthy artifact the rollback service rolled back after the 60 s window (it had taken 2.5 min to start again on a
 * machine at load average 31-45), though the look at the end of the run found nothing lost.
 */
class ReportTest {

    static final Chaos.Settings SETTINGS = new Chaos.Settings(2, List.of(Fault.kill("rollback")), Duration.ofSeconds(8),
            Duration.ofSeconds(8), Duration.ofSeconds(60), Duration.ofSeconds(840));

    final Artifact late = new Artifact("chaos-4", "sha256:" + "a".repeat(64), Artifact.Kind.UNHEALTHY, Instant.now(),
            "kill-rollback");
    final Artifact lost = new Artifact("chaos-3", "sha256:" + "b".repeat(64), Artifact.Kind.GOOD, Instant.now(),
            "kill-rollback");

    @Test
    void anArtifactThereByTheEndOfTheRunIsLateNotLost(@TempDir Path dir) throws Exception {
        Report report = new Report("abc", SETTINGS);
        report.add(outcome(List.of(late, lost)));
        report.finalLook(look(List.of(lost)));
        report.finished(Duration.ofSeconds(700));
        Path file = dir.resolve("RELIABILITY.md");
        report.write(file);

        String written = Files.readString(file);
        assertThat(written).contains("| Fault | Load (accepted) | Lost | Late |");
        assertThat(written).contains("| `kill -9` of rollback, started again at once | 12 | 1 | 1 | 0 |");
        assertThat(written).contains("- lost: " + lost).contains("- late: " + late);
        assertThat(written).doesNotContain("- lost: " + late);
        assertThat(written).contains("1 lost, 1 late");
    }

    @Test
    void withoutALookAtTheEndEveryLossStands(@TempDir Path dir) throws Exception {
        Report report = new Report("abc", SETTINGS);
        report.add(outcome(List.of(late, lost)));
        report.finalLookFailed("promote did not answer");
        report.write(dir.resolve("RELIABILITY.md"));

        assertThat(Files.readString(dir.resolve("RELIABILITY.md")))
                .contains("| `kill -9` of rollback, started again at once | 12 | 2 | 0 | 0 |");
    }

    private static Outcome outcome(List<Artifact> lost) {
        return new Outcome(Fault.kill("rollback"), 12, 0, lost, List.of(), List.of(), List.of(), List.of(), 0,
                List.of(), 3.4, Double.NaN, null);
    }

    private static Checker.Look look(List<Artifact> lost) {
        return new Checker.Look(lost, List.of(), List.of(), List.of(), List.of(), 0, Map.of(), List.of(), List.of());
    }
}
