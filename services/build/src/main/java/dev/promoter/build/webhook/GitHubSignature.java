package dev.promoter.build.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature: {@code X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256 of the raw body>},
 * keyed with the webhook secret, compared in constant time. Plain Java.
 */
final class GitHubSignature {

    private static final String PREFIX = "sha256=";

    private GitHubSignature() {
    }

    /** The header value GitHub sends for this body. */
    static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is in every JDK and any key length is valid for it.
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code header} is GitHub's signature of exactly these bytes under this secret. */
    static boolean verify(byte[] secret, byte[] body, String header) {
        if (header == null || secret.length == 0) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.US_ASCII));
    }
}
