package dev.promoter.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/** How the pipeline identifies itself to a registry: anonymously or with a username and password (or token). */
public final class RegistryCredentials {

    private static final RegistryCredentials ANONYMOUS = new RegistryCredentials(null, null);

    private final String username;
    private final String password;

    private RegistryCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    public static RegistryCredentials anonymous() {
        return ANONYMOUS;
    }

    /**
     * Credentials sent as HTTP Basic, either to the registry itself or to its token endpoint;
     * for GHCR, ECR and friends the password is usually a personal access token.
     */
    public static RegistryCredentials basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("username must be non-empty and contain no ':' (HTTP Basic)");
        }
        return new RegistryCredentials(username, password);
    }

    public boolean isAnonymous() {
        return username == null;
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The Authorization header value; package-private so the secret never leaves the library. */
    String basicAuthorization() {
        if (isAnonymous()) {
            throw new IllegalStateException("anonymous credentials have no Basic authorization");
        }
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the password from text that might echo it, e.g. a misbehaving server's error body. */
    String redact(String text) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "***");
    }

    /** Who is speaking, for error messages: never the password. */
    String describe() {
        return isAnonymous() ? "anonymously" : "as user '" + username + "'";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RegistryCredentials that
                && Objects.equals(username, that.username) && Objects.equals(password, that.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, password);
    }

    @Override
    public String toString() {
        return isAnonymous() ? "RegistryCredentials[anonymous]" : "RegistryCredentials[basic, user=" + username + "]";
    }
}
