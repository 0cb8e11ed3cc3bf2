package dev.promoter.promote.definition;

import java.util.List;
import java.util.Objects;

/** A test suite a stage runs once an artifact is in it; today only image checks against the registry. */
public record SuiteDefinition(String name, String kind, List<String> requiredLabels, boolean nonRoot, long maxSizeBytes) {

    /** The kind that inspects the image's manifest and config in the registry: labels, user, size. */
    public static final String KIND_IMAGE_CHECKS = "image-checks";

    public SuiteDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        requiredLabels = List.copyOf(requiredLabels);
    }
}
