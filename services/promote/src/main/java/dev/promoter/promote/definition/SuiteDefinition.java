package dev.promoter.promote.definition;

import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.HttpSmokePolicy;
import java.util.List;
import java.util.Objects;

/**
 * A test suite a stage runs once an artifact is in it: image checks against the registry, an HTTP smoke check against
 * the stage, or a result reported from outside. {@code retries} is the suite's explicit flaky tolerance; {@code http}
 * is set for {@code http-smoke} only, {@code external} for {@code external} only.
 */
public record SuiteDefinition(String name, String kind, List<String> requiredLabels, boolean nonRoot, long maxSizeBytes,
                              int retries, List<String> allowedPlatforms, List<String> baseImageDigests,
                              HttpSmokePolicy http, ExternalSuitePolicy external) {

    /** The kind that inspects the image's manifest and config in the registry: labels, user, size. */
    public static final String KIND_IMAGE_CHECKS = "image-checks";
    /** The kind that calls the stage's URL once the stage runs the artifact. */
    public static final String KIND_HTTP_SMOKE = "http-smoke";
    /** The kind that waits for a result reported from outside (JUnit XML or a CDEvent). */
    public static final String KIND_EXTERNAL = "external";

    public SuiteDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        requiredLabels = List.copyOf(requiredLabels);
        allowedPlatforms = allowedPlatforms == null ? List.of() : List.copyOf(allowedPlatforms);
        baseImageDigests = baseImageDigests == null ? List.of() : List.copyOf(baseImageDigests);
    }

    /** An image-checks suite as the first version of the definition knew it: no retries, platform or base rules. */
    public SuiteDefinition(String name, String kind, List<String> requiredLabels, boolean nonRoot, long maxSizeBytes) {
        this(name, kind, requiredLabels, nonRoot, maxSizeBytes, 0, List.of(), List.of(), null, null);
    }
}
