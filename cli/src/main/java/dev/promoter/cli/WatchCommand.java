package dev.promoter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Follows moves, rollbacks, holds, quarantines, waiting digests, pins and stops of the line as they happen, by
 * reading the promote and rollback services' views every {@code --interval} (the services offer no event stream to
 * their API callers), until interrupted or {@code --for} has passed.
 */
@Command(name = "watch", description = "Follow moves, rollbacks, holds, quarantines, waiting digests, pins and stops"
        + " of the line live, until interrupted (Ctrl-C). Reads the services every --interval.")
final class WatchCommand extends CommandBase {

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "default: every application")
    String application;
    @Option(names = "--interval", paramLabel = "DURATION", description = "between reads, e.g. 500ms, 2s (default 1s)")
    String interval = "1s";
    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long (default: until interrupted)")
    String duration;

    /** What one stage looks like at one read. */
    record StageState(String current, JsonNode currentMove, Set<String> quarantined, Map<String, String> pending,
                      String pin, String health) {
    }

    @Override
    public Integer call() {
        Duration every = Durations.parse(interval, "--interval");
        Duration limit = duration == null ? null : Durations.parse(duration, "--for");
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        Map<String, StageState> before = null;
        Map<String, String> stopsBefore = null;
        if (output() == Output.TABLE) {
            out().println("watching " + (application == null ? "every application" : application) + " (reading every "
                    + interval + "; Ctrl-C to stop)");
        }
        while (true) {
            Map<String, StageState> now = read();
            Map<String, String> stopsNow = new LinkedHashMap<>();
            StatusView words = new StatusView(Map.of(), root().clock().instant());
            for (JsonNode stop : stops(application)) {
                stopsNow.put(stop.path("application").asText("*"), describeStop(stop, words));
            }
            for (String line : changes(before, now, stopsBefore, stopsNow)) {
                print(line);
            }
            before = now;
            stopsBefore = stopsNow;
            if (System.nanoTime() + every.toNanos() > deadline) {
                return 0;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    private void print(String line) {
        String at = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                .format(root().clock().instant());
        if (output() == Output.TABLE) {
            out().println(at + "  " + line);
        } else if (output() == Output.JSON) {
            // One JSON object per line, as log tools read a stream.
            out().println(Api.JSON.createObjectNode().put("at", root().clock().instant().toString())
                    .put("change", line));
        } else {
            output().print(Api.JSON.createObjectNode().put("at", root().clock().instant().toString())
                    .put("change", line), out(), () -> { });
            out().println("---");
        }
        out().flush();
    }

    /** Each stage of the watched applications, keyed {@code application/stage}. */
    private Map<String, StageState> read() {
        Map<String, StageState> states = new LinkedHashMap<>();
        for (String name : application != null ? List.of(application) : applications()) {
            JsonNode view = application(name);
            for (JsonNode stage : view.path("stages")) {
                String stageName = stage.path("name").asText();
                Set<String> quarantined = new HashSet<>();
                stage.path("quarantined").forEach(d -> quarantined.add(d.asText()));
                Map<String, String> pending = new HashMap<>();
                stage.path("pending").forEach(p -> pending.put(p.path("digest").asText(),
                        p.path("blockedBecause").asText("")));
                JsonNode history = rollbackHistory(name, stageName);
                JsonNode move = stage.path("history").isEmpty() ? null : stage.path("history").get(0);
                states.put(name + "/" + stageName, new StageState(stage.path("current").asText(null), move, quarantined,
                        pending, stage.path("pin").path("digest").asText(null),
                        history == null ? null : history.path("health").asText(null)));
            }
        }
        return states;
    }

    /** The lines saying what changed between two reads; at the first read, what each stage runs. */
    static List<String> changes(Map<String, StageState> before, Map<String, StageState> now,
                                Map<String, String> stopsBefore, Map<String, String> stopsNow) {
        List<String> lines = new ArrayList<>();
        if (before == null) {
            now.forEach((key, state) -> lines.add(key.replace('/', ' ') + " runs " + (state.current() == null
                    ? "nothing yet" : StatusView.shortDigest(state.current()))
                    + (state.health() == null ? "" : " (health: " + state.health() + ")")));
            stopsNow.values().forEach(lines::add);
            return lines;
        }
        stopsNow.forEach((of, words) -> {
            if (!words.equals(stopsBefore.get(of))) {
                lines.add(words);
            }
        });
        stopsBefore.keySet().stream().filter(of -> !stopsNow.containsKey(of))
                .forEach(of -> lines.add("line resumed for " + (of.equals("*") ? "all applications" : of)));
        now.forEach((key, state) -> {
            String where = key.replace('/', ' ');
            StageState was = before.get(key);
            if (was == null) {
                lines.add(where + " appeared" + (state.current() == null ? "" : ", runs "
                        + StatusView.shortDigest(state.current())));
                return;
            }
            if (!Objects.equals(was.current(), state.current()) && state.current() != null) {
                JsonNode move = state.currentMove();
                boolean rollback = move != null && move.hasNonNull("rollbackOf");
                lines.add(where + (rollback ? " ROLLED BACK to " : " moved to ") + StatusView.shortDigest(state.current())
                        + (was.current() == null ? "" : " from " + StatusView.shortDigest(was.current()))
                        + (move == null ? "" : " by " + move.path("actor").asText("?")
                        + (move.hasNonNull("reason") ? ": " + move.path("reason").asText() : "")));
            }
            if (!Objects.equals(was.health(), state.health()) && state.health() != null) {
                lines.add(where + " health: " + (was.health() == null ? "" : was.health() + " → ") + state.health()
                        + ("held".equals(state.health()) ? " (unhealthy, nothing to go back to: held, not rolled back)"
                        : ""));
            }
            state.quarantined().stream().filter(d -> !was.quarantined().contains(d))
                    .forEach(d -> lines.add(where + " quarantined " + StatusView.shortDigest(d)));
            was.quarantined().stream().filter(d -> !state.quarantined().contains(d))
                    .forEach(d -> lines.add(where + " quarantine of " + StatusView.shortDigest(d) + " lifted"));
            state.pending().forEach((digest, why) -> {
                if (!why.equals(was.pending().get(digest))) {
                    lines.add(where + ": " + StatusView.shortDigest(digest) + " waits: " + why);
                }
            });
            if (!Objects.equals(was.pin(), state.pin())) {
                lines.add(where + (state.pin() == null ? " unpinned" : " pinned at " + StatusView.shortDigest(state.pin())));
            }
        });
        return lines;
    }
}
