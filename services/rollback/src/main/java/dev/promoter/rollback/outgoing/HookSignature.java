package dev.promoter.rollback.outgoing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a deploy hook's body, as GitHub signs its webhooks: {@code sha256=<lowercase hex of
 * HMAC-SHA256(secret, raw body)>} in the header {@value #HEADER}. A receiver recomputes it over the bytes it got and
 * compares in constant time.
 */
public final class HookSignature {

    public static final String HEADER = "X-Promoter-Signature-256";

    private HookSignature() {
    }

    public static String of(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
