package dev.promoter.promote.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature, version 0: {@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<raw body>} under the
 * app's signing secret, compared in constant time, and a timestamp at most five minutes from now either way.
 */
final class SlackSignature {

    static final long WINDOW_SECONDS = 300;

    private SlackSignature() {
    }

    /** Why the request is not Slack's, or null when it is. Never names the secret or the expected signature. */
    static String refusal(String secret, String timestamp, String signature, byte[] rawBody, Instant now) {
        if (secret == null || secret.isBlank()) {
            return "promote.slack.signing-secret is not configured";
        }
        if (timestamp == null || signature == null) {
            return "X-Slack-Request-Timestamp and X-Slack-Signature are required";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "X-Slack-Request-Timestamp must be unix seconds";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > WINDOW_SECONDS) {
            return "X-Slack-Request-Timestamp is more than 5 minutes from now";
        }
        byte[] expected = ("v0=" + sign(secret, timestamp.trim(), rawBody)).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            return "X-Slack-Signature does not match";
        }
        return null;
    }

    /** The hex HMAC of the v0 base string; also what a test signs its payloads with. */
    static String sign(String secret, String timestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(rawBody));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
