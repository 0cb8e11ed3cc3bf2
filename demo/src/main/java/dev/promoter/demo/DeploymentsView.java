package dev.promoter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints each stage's deployment history the way {@code rpm-ostree status} prints deployments: newest first,
 * {@code ●} on the one the stage runs, the rollback target and quarantined digests marked, short digests,
 * when and by whom each move happened and why.
 */
final class DeploymentsView {

    static final int MAX_ENTRIES = 4;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final Map<String, String> versions;
    private final Instant start;

    /** {@code versions}: a name per digest the reader knows (v1, v2); {@code start}: times are shown relative to it. */
    DeploymentsView(Map<String, String> versions, Instant start) {
        this.versions = versions;
        this.start = start;
    }

    /**
     * Prints promote's view of the application stage by stage, each move with what the rollback service found
     * out about its health there ({@code rollbackHistoryOfStage}: its history of a stage, or null).
     */
    void print(JsonNode application, Function<String, JsonNode> rollbackHistoryOfStage, PrintStream out) {
        for (JsonNode stage : application.path("stages")) {
            String name = stage.path("name").asText();
            JsonNode watched = rollbackHistoryOfStage.apply(name);
            out.println();
            out.println(name + (watched == null ? "" : "  (health: " + watched.path("health").asText("?") + ")"));
            Set<String> quarantined = new HashSet<>();
            stage.path("quarantined").forEach(d -> quarantined.add(d.asText()));
            List<JsonNode> healthOfMoves = new ArrayList<>();
            if (watched != null) {
                watched.path("deployments").forEach(healthOfMoves::add);
            }
            JsonNode history = stage.path("history");
            if (history.isEmpty()) {
                out.println("  (nothing deployed)");
            }
            int shown = 0;
            for (JsonNode entry : history) {
                if (shown == MAX_ENTRIES) {
                    out.printf("  … %d earlier deployment(s)%n", history.size() - shown);
                    break;
                }
                printEntry(entry, quarantined, sameMove(entry, healthOfMoves), out);
                shown++;
            }
        }
    }

    /**
     * The rollback service's record of the same move (same digest, same rollbackOf), taken from {@code moves} so
     * that a digest deployed twice is matched once each; both histories list moves newest first.
     */
    private static JsonNode sameMove(JsonNode entry, List<JsonNode> moves) {
        for (int i = 0; i < moves.size(); i++) {
            JsonNode move = moves.get(i);
            if (move.path("digest").equals(entry.path("digest"))
                    && move.path("rollbackOf").asText("").equals(entry.path("rollbackOf").asText(""))) {
                return moves.remove(i);
            }
        }
        return null;
    }

    private void printEntry(JsonNode entry, Set<String> quarantined, JsonNode health, PrintStream out) {
        String digest = entry.path("digest").asText();
        StringBuilder head = new StringBuilder(entry.path("current").asBoolean() ? "● " : "  ").append(name(digest));
        if (entry.path("rollbackTarget").asBoolean()) {
            head.append("  (rollback target)");
        }
        if (quarantined.contains(digest)) {
            head.append("  (quarantined)");
        }
        out.println(head);
        out.printf("%14s %s by %s%n", "Moved:", when(entry.path("movedAt")), entry.path("actor").asText("?"));
        if (entry.hasNonNull("rollbackOf")) {
            out.printf("%14s %s%n", "RollbackOf:", name(entry.path("rollbackOf").asText()));
        } else if (entry.hasNonNull("previousDigest")) {
            out.printf("%14s %s%n", "Replaced:", name(entry.path("previousDigest").asText()));
        }
        if (entry.hasNonNull("reason")) {
            out.printf("%14s %s%n", "Reason:", entry.path("reason").asText());
        }
        if (health != null && health.hasNonNull("unhealthyAt")) {
            out.printf("%14s unhealthy at %s%s%n", "Health:", when(health.path("unhealthyAt")),
                    health.hasNonNull("evidence") ? ": " + health.path("evidence").asText() : "");
        } else if (health != null && health.path("healthy").asBoolean()) {
            out.printf("%14s healthy at %s%n", "Health:", when(health.path("healthyAt")));
        }
    }

    /** {@code v1 sha256:1a2b3c4d5e6f}, or just the short digest for one the reader does not know. */
    String name(String digest) {
        String version = versions.get(digest);
        return (version == null ? "" : version + " ") + shortDigest(digest);
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon < 0 || digest.length() < colon + 13 ? digest : digest.substring(0, colon + 13);
    }

    private String when(JsonNode movedAt) {
        Instant at;
        try {
            at = movedAt.isNumber()
                    ? Instant.ofEpochMilli(Math.round(movedAt.asDouble() * 1000))
                    : Instant.parse(movedAt.asText());
        } catch (RuntimeException e) {
            return movedAt.asText("?");
        }
        Duration since = Duration.between(start, at);
        return TIME.format(at) + (since.isNegative() ? "  (before this run)"
                : String.format("  (+%.1fs)", since.toMillis() / 1000.0));
    }
}
