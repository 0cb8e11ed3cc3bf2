package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** An application's DORA figures, as the promote service computes them from the pipeline's own events. */
@Command(name = "dora", description = "An application's DORA figures over a window: deployment frequency, lead time"
        + " for changes, change failure rate, time to restore (prod unless --stage).")
final class DoraCommand extends CommandBase {

    @Parameters(index = "0", paramLabel = "APP")
    String application;
    @Option(names = "--window", paramLabel = "WINDOW", defaultValue = "30d",
            description = "how far back: <n>d, <n>h or <n>m, at most 366d (default ${DEFAULT-VALUE})")
    String window;
    @Option(names = "--stage", paramLabel = "STAGE", description = "default: prod, or the last stage without one")
    String stage;

    @Override
    public Integer call() {
        String path = "/api/v1/applications/" + Api.segment(application) + "/dora?window=" + Api.segment(window)
                + (stage == null ? "" : "&stage=" + Api.segment(stage));
        JsonNode dora = api().get(Service.PROMOTE, path);
        return emit(dora, () -> {
            out().println(dora.path("application").asText() + " " + dora.path("stage").asText() + ", last "
                    + dora.path("window").asText());
            Output.Table table = new Output.Table("FIGURE", "VALUE");
            for (String[] row : lines(dora)) {
                table.row(row[0], row[1]);
            }
            table.print(out());
        });
    }

    /** The four figures in words, each with what it counts. */
    static String[][] lines(JsonNode dora) {
        String stageName = dora.path("stage").asText();
        JsonNode frequency = dora.path("deploymentFrequency");
        JsonNode lead = dora.path("leadTimeForChanges");
        JsonNode failure = dora.path("changeFailureRate");
        JsonNode restore = dora.path("timeToRestore");
        int deployments = frequency.path("deployments").asInt();
        return new String[][] {
            {"deployment frequency", deployments + (deployments == 1 ? " deployment" : " deployments") + " ("
                    + String.format(Locale.ROOT, "%.2f", frequency.path("perDay").asDouble()) + " a day)"},
            {"lead time for changes", lead.hasNonNull("medianSeconds")
                    ? "median " + words(lead.path("medianSeconds").asLong()) + " from commit to " + stageName
                    + " (over " + lead.path("samples").asInt() + ")"
                    : "not known: no deployment in the window knew its commit time"},
            {"change failure rate", failure.hasNonNull("rate")
                    ? Math.round(failure.path("rate").asDouble() * 100) + " % (" + failure.path("failed").asInt()
                    + " of " + failure.path("deployments").asInt() + " rolled back, held or quarantined)"
                    : "not known: no deployment in the window"},
            {"time to restore", (restore.hasNonNull("medianSeconds")
                    ? "median " + words(restore.path("medianSeconds").asLong()) + " (over "
                    + restore.path("restores").asInt() + ")" : "nothing restored in the window")
                    + (restore.path("unrestored").asInt() > 0 ? "; " + stageName + " is not healthy again yet" : "")},
        };
    }

    /** {@code 45 s}, {@code 12 min 5 s}, {@code 2 h 0 min}, {@code 3 d 4 h}. */
    static String words(long seconds) {
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
