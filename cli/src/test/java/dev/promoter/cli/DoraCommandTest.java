package dev.promoter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The DORA figures in words, from the promote service's answer (the example of docs/observability.md). */
class DoraCommandTest {

    @Test
    void eachFigureReadsWithWhatItCounts() throws Exception {
        String[][] lines = DoraCommand.lines(Api.JSON.readTree("""
                {"application":"cart","stage":"prod","window":"30d",
                 "deploymentFrequency":{"deployments":6,"perDay":0.2},
                 "leadTimeForChanges":{"medianSeconds":7200,"samples":5},
                 "changeFailureRate":{"rate":0.5,"failed":3,"deployments":6},
                 "timeToRestore":{"medianSeconds":45450,"restores":2,"unrestored":1}}
                """));

        assertThat(lines).isDeepEqualTo(new String[][] {
                new String[] {"deployment frequency", "6 deployments (0.20 a day)"},
                new String[] {"lead time for changes", "median 2 h 0 min from commit to prod (over 5)"},
                new String[] {"change failure rate", "50 % (3 of 6 rolled back, held or quarantined)"},
                new String[] {"time to restore", "median 12 h 37 min (over 2); prod is not healthy again yet"}});
    }

    @Test
    void figuresWithNothingToCountSaySo() throws Exception {
        String[][] lines = DoraCommand.lines(Api.JSON.readTree("""
                {"application":"cart","stage":"prod","window":"7d",
                 "deploymentFrequency":{"deployments":0,"perDay":0.0},
                 "leadTimeForChanges":{"medianSeconds":null,"samples":0},
                 "changeFailureRate":{"rate":null,"failed":0,"deployments":0},
                 "timeToRestore":{"medianSeconds":null,"restores":0,"unrestored":0}}
                """));

        assertThat(lines[1][1]).isEqualTo("not known: no deployment in the window knew its commit time");
        assertThat(lines[2][1]).isEqualTo("not known: no deployment in the window");
        assertThat(lines[3][1]).isEqualTo("nothing restored in the window");
    }
}
