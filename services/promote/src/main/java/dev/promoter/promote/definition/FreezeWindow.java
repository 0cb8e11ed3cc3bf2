package dev.promoter.promote.definition;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly recurring time in which nothing is promoted into a stage, on the wall clock of a time zone, e.g. Friday
 * 16:00 to Monday 08:00 Europe/Prague. A window whose end day and time equal or precede its start wraps into the
 * next week; one with equal start and end lasts a whole week.
 *
 * <p>Each occurrence is turned into two instants: a wall-clock time the zone skips (spring forward) means the
 * moment the clock jumps, a time the zone has twice (fall back) means its first occurrence. So a window ending at
 * 02:30 on the night Europe/Prague skips from 02:00 to 03:00 ends at 03:00 CEST, and one ending at 02:30 on the
 * night it repeats 02:00–03:00 ends at the first 02:30 (CEST) and does not start again at the second.
 */
public record FreezeWindow(DayOfWeek fromDay, LocalTime from, DayOfWeek toDay, LocalTime to, ZoneId zone) {

    private static final Pattern TEXT = Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01][0-9]|2[0-3]):([0-5][0-9])");

    public FreezeWindow {
        Objects.requireNonNull(fromDay, "fromDay");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(toDay, "toDay");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
    }

    /** Reads the definition's form, {@code "Fri 16:00"} to {@code "Mon 08:00"} in {@code zone}. */
    public static FreezeWindow of(String from, String to, ZoneId zone) {
        Matcher start = matcher(from);
        Matcher end = matcher(to);
        return new FreezeWindow(day(start.group(1)), time(start), day(end.group(1)), time(end), zone);
    }

    /** When the occurrence {@code now} falls in ends; empty when {@code now} is outside every occurrence. */
    public Optional<Instant> endIfInside(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        // The latest start at or before now is at most a week back; only that occurrence can contain now.
        for (int back = 0; back <= 7; back++) {
            LocalDate startDate = today.minusDays(back);
            if (startDate.getDayOfWeek() != fromDay) {
                continue;
            }
            Instant start = resolve(startDate, from);
            if (start.isAfter(now)) {
                continue;
            }
            Instant end = resolve(startDate.plusDays(lengthInDays()), to);
            return now.isBefore(end) ? Optional.of(end) : Optional.empty();
        }
        return Optional.empty();
    }

    /** The definition's form: {@code Fri 16:00–Mon 08:00 Europe/Prague}. */
    public String text() {
        return dayTime(fromDay, from) + "–" + dayTime(toDay, to) + " " + zone.getId();
    }

    /** {@code Fri 16:00}, as the definition writes a start or an end. */
    public static String dayTime(DayOfWeek day, LocalTime time) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + time.truncatedTo(ChronoUnit.MINUTES);
    }

    /** The days from the start's date to the end's date: 0–6, or 7 for a window that wraps onto its own day. */
    private long lengthInDays() {
        long days = Math.floorMod(toDay.getValue() - fromDay.getValue(), 7);
        return days == 0 && !to.isAfter(from) ? 7 : days;
    }

    private Instant resolve(LocalDate date, LocalTime time) {
        LocalDateTime local = date.atTime(time);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        // ZonedDateTime.of takes the earlier offset of an overlap.
        return ZonedDateTime.of(local, zone).toInstant();
    }

    private static Matcher matcher(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a day and time like \"Fri 16:00\": " + Wording.quote(String.valueOf(text)));
        }
        return matcher;
    }

    private static DayOfWeek day(String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equals(text)) {
                return day;
            }
        }
        throw new IllegalArgumentException("not a day: " + text);
    }

    private static LocalTime time(Matcher matcher) {
        return LocalTime.of(Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
    }
}
