package dev.promoter.promote.definition;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as pipeline definitions write them: {@code <n>ms}, {@code <n>s} or {@code <n>m}. */
final class Durations {

    // The schema already limits the digits, so the number always fits in a long.
    private static final Pattern TEXT = Pattern.compile("([0-9]{1,9})(ms|s|m)");

    private Durations() {
    }

    static Duration parse(String text) {
        Matcher matcher = TEXT.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration <n>ms|s|m: " + Wording.quote(text));
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    /** The shortest exact text: 2m rather than 120s, 1500ms rather than a fraction. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
