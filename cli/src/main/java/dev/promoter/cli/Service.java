package dev.promoter.cli;

import java.util.Locale;

/** The four services the CLI talks to, with the local stack's default ports (README, "What runs where"). */
public enum Service {
    BUILD(8081), TEST(8082), PROMOTE(8083), ROLLBACK(8084);

    private final int defaultPort;

    Service(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** {@code build}, {@code test}, {@code promote}, {@code rollback}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    int defaultPort() {
        return defaultPort;
    }

    /** The environment variable of this service's address, e.g. {@code PROMOTER_URL_PROMOTE}. */
    String urlVariable() {
        return "PROMOTER_URL_" + name();
    }

    /** The environment variable of a token for this service only, e.g. {@code PROMOTER_TOKEN_PROMOTE}. */
    String tokenVariable() {
        return "PROMOTER_TOKEN_" + name();
    }

    /** The service's own variable naming a caller's token, e.g. {@code PROMOTE_API_TOKENS_LOCAL}. */
    String serviceTokenVariable(String caller) {
        return name() + "_API_TOKENS_" + caller.toUpperCase(Locale.ROOT);
    }
}
