package dev.promoter.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes RELIABILITY.md: the machine, the commit, the date, a row per fault, and every finding spelled out. */
final class Report {

    private final String commit;
    private final Chaos.Settings settings;
    private final String startedAt;
    private final String loadAtStart;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Fault> leftOut = new ArrayList<>();
    private String finalLook = "";
    /** What the look at the end of the run still found lost; null when that look failed (then every loss stands). */
    private java.util.Set<Artifact> lostAtEnd;
    private Duration took = Duration.ZERO;

    Report(String commit, Chaos.Settings settings) {
        this.commit = commit;
        this.settings = settings;
        this.startedAt = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        this.loadAtStart = firstLine(Path.of("/proc/loadavg"));
    }

    void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    void leftOut(Fault fault) {
        leftOut.add(fault);
    }

    void finalLook(Checker.Look look) {
        lostAtEnd = java.util.Set.copyOf(look.lost());
        StringBuilder text = new StringBuilder("At the end of the run, over every artifact accepted: ")
                .append(look.lost().size()).append(" lost, ").append(look.superseded().size())
                .append(" superseded by a newer artifact, ").append(look.duplicated().size()).append(" duplicated, ")
                .append(look.wrong().size()).append(" in a stage their suites forbid, ")
                .append(look.inconsistent().size()).append(" stages whose registry tag, promote and rollback disagree; ")
                .append(look.deadLetterRecords()).append(" records on the dead-letter topics");
        if (!look.deadLetters().isEmpty()) {
            text.append(", dead letters listed by the services' APIs: ").append(look.deadLetters());
        }
        text.append(".\n");
        look.lost().forEach(a -> text.append("- still lost: ").append(a).append('\n'));
        look.inconsistent().forEach(s -> text.append("- disagree: ").append(s).append('\n'));
        finalLook = text.toString();
    }

    void finalLookFailed(String error) {
        finalLook = "The look at the end of the run failed: " + error + "\n";
    }

    void finished(Duration took) {
        this.took = took;
    }

    void write(Path file) {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n")
                .append("What `./pipeline chaos` measured: under a steady load of artifacts through dev → test → stage")
                .append(" (image checks in dev and test, health probes in stage, some artifacts failing their suite and")
                .append(" some rolled back), one fault after another, each followed by a check from outside (registry")
                .append(" tags read directly, promote's and the rollback service's APIs, the topics). How it works and")
                .append(" how to read this file: [docs/reliability.md](docs/reliability.md#the-chaos-run).\n\n")
                .append("| | |\n|---|---|\n")
                .append("| CPUs (`nproc`) | ").append(Runtime.getRuntime().availableProcessors()).append(" × ")
                .append(cpuModel()).append(" |\n")
                .append("| memory | ").append(memory()).append(" |\n")
                .append("| load average at start | ").append(loadAtStart).append(" |\n")
                .append("| Java | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n")
                .append("| commit | `").append(commit).append("` |\n")
                .append("| date | ").append(startedAt).append(" |\n")
                .append("| settings | ").append(settings.applications()).append(" applications; load ")
                .append(settings.before().toSeconds()).append(" s before and ").append(settings.after().toSeconds())
                .append(" s after each fault; settle up to ").append(settings.settle().toSeconds()).append(" s |\n")
                .append("| run took | ").append(took.toSeconds()).append(" s (budget ")
                .append(settings.budget().toSeconds()).append(" s) |\n\n");
        md.append("| Fault | Load (accepted) | Lost | Late | Superseded | Duplicated | Dead-lettered | Recovery (s) |")
                .append(" Settled after (s) | Other findings |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Outcome o : outcomes) {
            md.append("| ").append(o.fault().description()).append(" | ").append(o.accepted())
                    .append(o.refused() > 0 ? " (" + o.refused() + " reports refused or unanswered)" : "")
                    .append(" | ").append(lost(o).size()).append(" | ").append(late(o).size())
                    .append(" | ").append(o.superseded().size())
                    .append(" | ").append(o.duplicated().size())
                    .append(" | ").append(o.deadLettered()).append(" | ").append(seconds(o.recoverySeconds()))
                    .append(" | ").append(seconds(o.settledSeconds())).append(" | ").append(other(o)).append(" |\n");
        }
        leftOut.forEach(f -> md.append("| ").append(f.description())
                .append(" | — | — | — | — | — | — | — | — | left out: the time budget ran out |\n"));
        md.append('\n').append(finalLook);
        List<String> details = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (!o.superseded().isEmpty()) {
                details.add("**" + o.fault().description() + "**: " + o.superseded().size() + " superseded (a newer"
                        + " artifact of the same application entered the stage they had reached before they moved on)");
                o.superseded().forEach(a -> details.add("- superseded: " + a));
            }
        }
        for (Outcome o : outcomes) {
            if (!o.clean()) {
                details.add("**" + o.fault().description() + "**: " + findings(o, lost(o).size(), late(o).size()));
                lost(o).forEach(a -> details.add("- lost: " + a));
                late(o).forEach(a -> details.add("- late: " + a + " (not where it belongs when the settle time ran"
                        + " out; there by the end of the run)"));
                o.duplicated().forEach(d -> details.add("- duplicated: " + d));
                o.wrong().forEach(w -> details.add("- wrong stage: " + w));
                o.inconsistent().forEach(i -> details.add("- disagree after settling: " + i));
                if (o.deadLettered() > 0) {
                    o.deadLetterReasons().forEach(r -> details.add("- dead letter: " + r));
                }
            }
        }
        if (!details.isEmpty()) {
            md.append("\n## Findings\n\n");
            details.forEach(line -> md.append(line).append('\n'));
        }
        try {
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String other(Outcome o) {
        List<String> parts = new ArrayList<>();
        if (o.error() != null) {
            parts.add("could not look: " + o.error().replace('|', '/'));
        }
        if (!o.wrong().isEmpty()) {
            parts.add(o.wrong().size() + " in a forbidden stage");
        }
        if (!o.inconsistent().isEmpty()) {
            parts.add(o.inconsistent().size() + " stages disagree");
        }
        return parts.isEmpty() ? "—" : String.join("; ", parts);
    }

    /** The fault's lost artifacts that the look at the end of the run still found lost (all, without that look). */
    List<Artifact> lost(Outcome o) {
        return lostAtEnd == null ? o.lost() : o.lost().stream().filter(lostAtEnd::contains).toList();
    }

    /** The fault's artifacts not settled within the settle time but where they belong at the end of the run. */
    List<Artifact> late(Outcome o) {
        return lostAtEnd == null ? List.of() : o.lost().stream().filter(a -> !lostAtEnd.contains(a)).toList();
    }

    /** What went wrong with the fault, in one line (as measured when it settled or the settle time ran out). */
    static String findings(Outcome o) {
        return findings(o, o.lost().size(), 0);
    }

    private static String findings(Outcome o, int lost, int late) {
        List<String> parts = new ArrayList<>();
        if (lost > 0) {
            parts.add(lost + " lost");
        }
        if (late > 0) {
            parts.add(late + " late");
        }
        if (!o.duplicated().isEmpty()) {
            parts.add(o.duplicated().size() + " duplicated");
        }
        if (o.deadLettered() > 0) {
            parts.add(o.deadLettered() + " dead-lettered");
        }
        String other = other(o);
        if (!other.equals("—")) {
            parts.add(other);
        }
        return String.join(", ", parts);
    }

    static String seconds(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }

    private static String memory() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "?";
    }

    private static String firstLine(Path file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? "?" : lines.get(0);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
