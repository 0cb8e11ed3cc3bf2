package dev.promoter.cli;

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
 * {@code ●} on the one the stage runs, the rollback target and quarantined digests marked, short digests named by
 * their image's version where known, when and by whom each move happened and why, and what the rollback service
 * found about each move's health; above a stage, its pin and the digests waiting to enter it.
 */
public final class StatusView {

    static final int MAX_ENTRIES = 4;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final Map<String, String> names;
    private final Instant now;

    /** {@code names}: a name per digest (its image's version, v1, v2); {@code now}: times are shown as "ago" it. */
    public StatusView(Map<String, String> names, Instant now) {
        this.names = names;
        this.now = now;
    }

    /**
     * Prints promote's view of the application stage by stage ({@code onlyStage}: one stage, or null for all), each
     * move with what the rollback service found out about its health there ({@code rollbackHistoryOfStage}: its
     * history of a stage, or null).
     */
    public void print(JsonNode application, String onlyStage, Function<String, JsonNode> rollbackHistoryOfStage,
                      PrintStream out) {
        for (JsonNode stage : application.path("stages")) {
            String name = stage.path("name").asText();
            if (onlyStage != null && !onlyStage.equals(name)) {
                continue;
            }
            JsonNode watched = rollbackHistoryOfStage.apply(name);
            out.println();
            out.println(name + (watched == null ? "" : "  (health: " + watched.path("health").asText("?") + ")"));
            JsonNode pin = stage.path("pin");
            if (pin.hasNonNull("digest")) {
                out.printf("  pinned at %s by %s %s%s%n", name(pin.path("digest").asText()), pin.path("by").asText("?"),
                        when(pin.path("at")), pin.hasNonNull("reason") ? ": " + pin.path("reason").asText() : "");
            }
            for (JsonNode pending : stage.path("pending")) {
                out.printf("  waiting: %s from %s — %s%n", name(pending.path("digest").asText()),
                        pending.path("from").asText("?"), pending.path("blockedBecause").asText(""));
            }
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
                if (shown == MAX_ENTRIES && onlyStage == null) {
                    out.printf("  … %d%s earlier deployment(s): promoter history %s %s%n", history.size() - shown,
                            stage.hasNonNull("historyNextBefore") ? " or more" : "",
                            application.path("application").asText(), name);
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
        if (health != null && health.path("held").asBoolean()) {
            out.printf("%14s held: unhealthy with nothing to go back to%s%n", "Health:",
                    health.hasNonNull("heldReason") ? ": " + health.path("heldReason").asText() : "");
        } else if (health != null && health.hasNonNull("unhealthyAt")) {
            out.printf("%14s unhealthy at %s%s%n", "Health:", when(health.path("unhealthyAt")),
                    health.hasNonNull("evidence") ? ": " + health.path("evidence").asText() : "");
        } else if (health != null && health.path("healthy").asBoolean()) {
            out.printf("%14s healthy at %s%n", "Health:", when(health.path("healthyAt")));
        }
    }

    /** {@code v1 sha256:1a2b3c4d5e6f}, or just the short digest of one whose version is not known. */
    public String name(String digest) {
        String version = names.get(digest);
        return (version == null ? "" : version + " ") + shortDigest(digest);
    }

    /** {@code sha256:} and the first 12 hex digits. */
    public static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon < 0 || digest.length() < colon + 13 ? digest : digest.substring(0, colon + 13);
    }

    /** {@code 10:00:08 (3s ago)}; the date too when it is not today. */
    public String when(JsonNode at) {
        Instant instant = instant(at);
        if (instant == null) {
            return at.asText("?");
        }
        Duration ago = Duration.between(instant, now);
        boolean today = DAY.format(instant).substring(0, 10).equals(DAY.format(now).substring(0, 10));
        return (today ? TIME.format(instant) : DAY.format(instant)) + " (" + ago(ago) + ")";
    }

    static Instant instant(JsonNode at) {
        if (at == null || at.isMissingNode() || at.isNull()) {
            return null;
        }
        try {
            return at.isNumber() ? Instant.ofEpochMilli(Math.round(at.asDouble() * 1000)) : Instant.parse(at.asText());
        } catch (RuntimeException e) {
            try {
                return java.time.OffsetDateTime.parse(at.asText()).toInstant();
            } catch (RuntimeException notAnOffsetEither) {
                return null;
            }
        }
    }

    static String ago(Duration ago) {
        if (ago.isNegative()) {
            return "just now";
        }
        long seconds = ago.toSeconds();
        if (seconds < 60) {
            return seconds + "s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m ago";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m ago";
        }
        return seconds / 86400 + "d ago";
    }
}
