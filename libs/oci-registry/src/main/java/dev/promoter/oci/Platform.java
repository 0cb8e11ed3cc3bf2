package dev.promoter.oci;

import java.util.Objects;

/** The os/architecture[/variant] an image runs on, e.g. {@code linux/amd64} or {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {

    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", "v8");

    /** {@code variant} is "" when there is none; nulls are read as "". */
    public Platform {
        os = Objects.requireNonNullElse(os, "");
        architecture = Objects.requireNonNullElse(architecture, "");
        variant = Objects.requireNonNullElse(variant, "");
    }

    /** Parses {@code os/architecture[/variant]}. */
    public static Platform parse(String text) {
        String[] parts = Objects.requireNonNull(text, "text").split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || parts.length == 3 && parts[2].isEmpty()) {
            throw new IllegalArgumentException("invalid platform '" + text + "': expected os/architecture[/variant]");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }

    /** Whether this platform satisfies {@code wanted}; a wanted platform without variant accepts any. */
    public boolean matches(Platform wanted) {
        return os.equals(wanted.os) && architecture.equals(wanted.architecture)
                && (wanted.variant.isEmpty() || variant.equals(wanted.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
