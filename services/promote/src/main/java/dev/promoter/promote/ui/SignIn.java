package dev.promoter.promote.ui;

import dev.promoter.promote.access.Access;
import dev.promoter.kit.auth.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's sign-in: the person pastes their API token once; it is kept in an HttpOnly, SameSite=Strict cookie
 * scoped to {@code /ui} (Secure behind HTTPS) that scripts cannot read and other sites cannot make the browser send,
 * and checked on every request exactly like the API's bearer header (same tokens, same roles). Every form carries a
 * CSRF token: an HMAC of the session's token under a key made at start, compared in constant time.
 */
@ApplicationScoped
public class SignIn {

    static final String COOKIE = "promoter_session";
    static final int MAX_TOKEN = 4096;

    /** Who is signed in and what the page may offer them. */
    public record Viewer(String name, String csrf, boolean approver, boolean releaser, boolean operator) {
        static final Viewer ANONYMOUS = new Viewer(null, null, false, false, false);

        public boolean signedIn() {
            return name != null;
        }

        public String roles() {
            StringBuilder words = new StringBuilder("viewer");
            if (approver) {
                words.append(", approver");
            }
            if (releaser) {
                words.append(", releaser");
            }
            if (operator) {
                words.append(", operator");
            }
            return words.toString();
        }
    }

    private final Access access;
    private final byte[] key = new byte[32];

    SignIn(Access access) {
        this.access = access;
        new SecureRandom().nextBytes(key);
    }

    /** The caller the session cookie names; empty when there is none or its token is no longer valid. */
    public Optional<Access.Caller> caller(String cookie) {
        if (cookie == null || cookie.isBlank() || cookie.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        return access.caller("Bearer " + cookie);
    }

    public Viewer viewer(String cookie) {
        return caller(cookie).map(c -> new Viewer(c.name(), csrf(cookie), c.may(Role.APPROVER), c.may(Role.RELEASER),
                c.may(Role.OPERATOR))).orElse(Viewer.ANONYMOUS);
    }

    /** Whether this viewer must sign in to see the pages: reads are closed and nobody is signed in. */
    public boolean mustSignIn(Viewer viewer) {
        return !viewer.signedIn() && !access.openReads();
    }

    /** Whether the form's CSRF token belongs to this session. */
    public boolean csrfMatches(String cookie, String presented) {
        if (cookie == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(csrf(cookie).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    NewCookie session(String token, boolean secure) {
        return new NewCookie.Builder(COOKIE).value(token).path("/ui").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    NewCookie signedOut(boolean secure) {
        return new NewCookie.Builder(COOKIE).value("").path("/ui").httpOnly(true).secure(secure).maxAge(0)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    private String csrf(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
