package dev.promoter.promote.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.promote.dora.DoraFigures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DoraSummaryTest {

    @Test
    void theFiguresReadAsWordsWithWhatTheyCount() {
        DoraSummary summary = DoraSummary.of(new DoraFigures("prod", Duration.ofDays(30), 6, 0.2,
                Duration.ofHours(2), 5, 3, 0.5, Duration.ofSeconds(45_450), 2, 1));

        assertThat(summary.deploymentFrequency()).isEqualTo("6 deployments in 30 days (0.20 a day)");
        assertThat(summary.leadTimeForChanges()).isEqualTo("median 2 h 0 min from commit to prod (over 5)");
        assertThat(summary.changeFailureRate()).isEqualTo("50 % (3 of 6 rolled back, held or quarantined)");
        assertThat(summary.timeToRestore()).isEqualTo("median 12 h 37 min (over 2); prod is not healthy again yet");
    }

    @Test
    void nothingToCountSaysSo() {
        DoraSummary summary = DoraSummary.of(new DoraFigures("prod", Duration.ofDays(30), 0, 0, null, 0, 0, null,
                null, 0, 0));

        assertThat(summary.deploymentFrequency()).isEqualTo("0 deployments in 30 days (0.00 a day)");
        assertThat(summary.leadTimeForChanges()).startsWith("not known yet");
        assertThat(summary.changeFailureRate()).startsWith("not known yet");
        assertThat(summary.timeToRestore()).isEqualTo("nothing to restore in the window");
    }

    @Test
    void durationsAreWrittenInTheirLargestUnits() {
        assertThat(DoraSummary.words(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(DoraSummary.words(Duration.ofSeconds(725))).isEqualTo("12 min 5 s");
        assertThat(DoraSummary.words(Duration.ofHours(76))).isEqualTo("3 d 4 h");
    }
}
