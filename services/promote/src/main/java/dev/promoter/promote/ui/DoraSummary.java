package dev.promoter.promote.ui;

import dev.promoter.promote.dora.DoraFigures;
import java.time.Duration;
import java.util.Locale;

/**
 * An application's four DORA figures as its dashboard page writes them, in words: what each counts beside the figure,
 * and "not known yet" where there is nothing to count.
 */
public record DoraSummary(String stage, String window, String deploymentFrequency, String leadTimeForChanges,
                          String changeFailureRate, String timeToRestore) {

    /** The window the page shows, as the API writes it. */
    static final String WINDOW = "30d";
    static final Duration WINDOW_LENGTH = Duration.ofDays(30);

    static DoraSummary of(DoraFigures figures) {
        long days = figures.window().toDays();
        String frequency = figures.deployments() + (figures.deployments() == 1 ? " deployment" : " deployments")
                + " in " + days + " days (" + String.format(Locale.ROOT, "%.2f", figures.deploymentsPerDay())
                + " a day)";
        String lead = figures.leadTime() == null ? "not known yet: no deployment in the window knew its commit time"
                : "median " + words(figures.leadTime()) + " from commit to " + figures.stage() + " (over "
                + figures.leadTimeSamples() + ")";
        String failure = figures.changeFailureRate() == null ? "not known yet: no deployment in the window"
                : Math.round(figures.changeFailureRate() * 100) + " % (" + figures.failedDeployments() + " of "
                + figures.deployments() + " rolled back, held or quarantined)";
        String restore = (figures.timeToRestore() == null ? "nothing to restore in the window"
                : "median " + words(figures.timeToRestore()) + " (over " + figures.restores() + ")")
                + (figures.unrestored() > 0 ? "; " + figures.stage() + " is not healthy again yet" : "");
        return new DoraSummary(figures.stage(), WINDOW, frequency, lead, failure, restore);
    }

    /** {@code 45 s}, {@code 12 min 5 s}, {@code 2 h 0 min}, {@code 3 d 4 h}. */
    static String words(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }
}
