package dev.promoter.promote.ui;

import dev.promoter.contracts.Digest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What one stage of one application shows in the value stream and on the application page.
 *
 * @param stage       the stage
 * @param digest      the digest it runs; null when it runs nothing yet
 * @param version     the image's version or short revision label; null when unknown
 * @param commit      the commit it was built from; null when unknown
 * @param since       when the stage's tag last moved
 * @param health      HEALTHY, WAITING (health not confirmed yet), UNCHECKED (the stage has no health check), ROLLED_BACK
 * @param rolledBack  the digest a rollback took the stage away from; null when the last move was no rollback
 * @param quarantined how many digests are quarantined in the stage
 * @param pin         the pin in words; null when the stage is not pinned
 * @param waiting     a digest waiting to enter the stage, with its gates in words; null when none waits
 */
public record StreamCell(String stage, String digest, String version, String commit, Instant since, String health,
                         String rolledBack, int quarantined, String pin, Waiting waiting) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** A digest waiting to enter the stage: from where, and why it waits. */
    public record Waiting(String digest, String from, String words) {
        public String shortDigest() {
            return StreamCell.shortDigest(digest);
        }
    }

    public String shortDigest() {
        return shortDigest(digest);
    }

    public String shortCommit() {
        return commit == null ? null : commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    public String sinceWords() {
        return when(since);
    }

    public String healthWords() {
        return switch (health) {
            case "HEALTHY" -> "healthy";
            case "ROLLED_BACK" -> "rolled back";
            case "UNCHECKED" -> "no health check";
            default -> digest == null ? "empty" : "health not confirmed yet";
        };
    }

    /** sha256:0123456789ab; the text itself when it is no digest. */
    public static String shortDigest(String digest) {
        if (digest == null) {
            return null;
        }
        try {
            return Digest.parse(digest).shortForm();
        } catch (RuntimeException e) {
            return digest;
        }
    }

    /** 2026-12-07 17:50:03 UTC. */
    public static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    /** 3m ago, as a glance reads it. */
    public static String ago(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(at, now).getSeconds());
        return s < 60 ? s + "s ago" : s < 3600 ? s / 60 + "m ago" : s < 86_400 ? s / 3600 + "h ago" : s / 86_400 + "d ago";
    }
}
