package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreezeWindowTest {

    private static final ZoneId PRAGUE = ZoneId.of("Europe/Prague");
    private static final FreezeWindow WEEKEND = FreezeWindow.of("Fri 16:00", "Mon 08:00", PRAGUE);

    @Test
    void insideAWeekendWindowItEndsOnMondayMorningInItsZone() {
        // Fri 2026-11-27 16:00 CET is 15:00Z; Mon 2026-11-30 08:00 CET is 07:00Z.
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-11-27T15:00:00Z")))
                .contains(Instant.parse("2026-11-30T07:00:00Z"));
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-11-29T12:00:00Z")))
                .contains(Instant.parse("2026-11-30T07:00:00Z"));
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-11-30T06:59:59Z"))).isPresent();
    }

    @Test
    void theStartIsInsideAndTheEndIsOutside() {
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-11-27T14:59:59Z"))).isEmpty();
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-11-30T07:00:00Z"))).isEmpty();
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-12-02T10:00:00Z"))).isEmpty();
    }

    @Test
    void theSameWallClockIsAnotherInstantInSummer() {
        // Fri 2026-07-03 16:00 CEST is 14:00Z.
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-07-03T13:59:59Z"))).isEmpty();
        assertThat(WEEKEND.endIfInside(Instant.parse("2026-07-03T14:00:00Z")))
                .contains(Instant.parse("2026-07-06T06:00:00Z"));
    }

    @Test
    void aWindowEndingInTheSkippedHourEndsWhenTheClockJumps() {
        // Sun 2026-03-29 02:00 CET the clocks jump to 03:00 CEST (01:00Z); 02:30 does not exist that night.
        FreezeWindow night = FreezeWindow.of("Sat 22:00", "Sun 02:30", PRAGUE);
        assertThat(night.endIfInside(Instant.parse("2026-03-29T00:59:59Z")))
                .contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(night.endIfInside(Instant.parse("2026-03-29T01:00:00Z"))).isEmpty();
        // A week earlier, with no jump, it ends at 02:30 CET (01:30Z).
        assertThat(night.endIfInside(Instant.parse("2026-03-22T01:15:00Z")))
                .contains(Instant.parse("2026-03-22T01:30:00Z"));
    }

    @Test
    void aWindowStartingInTheSkippedHourStartsWhenTheClockJumps() {
        FreezeWindow early = FreezeWindow.of("Sun 02:30", "Sun 06:00", PRAGUE);
        assertThat(early.endIfInside(Instant.parse("2026-03-29T00:59:59Z"))).isEmpty();
        assertThat(early.endIfInside(Instant.parse("2026-03-29T01:00:00Z")))
                .contains(Instant.parse("2026-03-29T04:00:00Z"));
    }

    @Test
    void aWindowEndingInTheRepeatedHourEndsAtItsFirstOccurrenceAndDoesNotStartAgain() {
        // Sun 2026-10-25 03:00 CEST the clocks go back to 02:00 CET: 02:30 happens at 00:30Z and again at 01:30Z.
        FreezeWindow night = FreezeWindow.of("Sat 22:00", "Sun 02:30", PRAGUE);
        assertThat(night.endIfInside(Instant.parse("2026-10-25T00:29:59Z")))
                .contains(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(night.endIfInside(Instant.parse("2026-10-25T00:30:00Z"))).isEmpty();
        // 02:10 CET, the second time the wall clock shows a time before 02:30: still outside.
        assertThat(night.endIfInside(Instant.parse("2026-10-25T01:10:00Z"))).isEmpty();
    }

    @Test
    void aWindowWithinOneDayAndOneThatWrapsToItsOwnDay() {
        FreezeWindow lunch = FreezeWindow.of("Wed 12:00", "Wed 13:00", ZoneId.of("UTC"));
        assertThat(lunch.endIfInside(Instant.parse("2026-11-25T12:30:00Z"))).contains(Instant.parse("2026-11-25T13:00:00Z"));
        assertThat(lunch.endIfInside(Instant.parse("2026-11-25T13:30:00Z"))).isEmpty();

        FreezeWindow week = FreezeWindow.of("Wed 13:00", "Wed 12:00", ZoneId.of("UTC"));
        assertThat(week.endIfInside(Instant.parse("2026-11-25T12:30:00Z"))).isEmpty();
        assertThat(week.endIfInside(Instant.parse("2026-11-25T11:00:00Z"))).contains(Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(week.endIfInside(Instant.parse("2026-11-27T00:00:00Z"))).contains(Instant.parse("2026-12-02T12:00:00Z"));
    }

    @Test
    void aZoneWestOfUtcCrossesTheDateLine() {
        FreezeWindow ny = FreezeWindow.of("Fri 20:00", "Sat 02:00", ZoneId.of("America/New_York"));
        // Fri 2026-11-27 20:00 EST is Sat 01:00Z.
        assertThat(ny.endIfInside(Instant.parse("2026-11-28T01:00:00Z"))).contains(Instant.parse("2026-11-28T07:00:00Z"));
        assertThat(ny.endIfInside(Instant.parse("2026-11-27T23:00:00Z"))).isEmpty();
    }

    @Test
    void itReadsAndWritesTheDefinitionsForm() {
        assertThat(WEEKEND.text()).isEqualTo("Fri 16:00–Mon 08:00 Europe/Prague");
        assertThatThrownBy(() -> FreezeWindow.of("Friday 16:00", "Mon 08:00", PRAGUE))
                .hasMessageContaining("Fri 16:00");
        assertThat(Optional.of(WEEKEND)).contains(FreezeWindow.of("Fri 16:00", "Mon 08:00", PRAGUE));
    }
}
