package dev.promoter.contracts;

import java.util.List;

/**
 * One test suite a stage runs against every artifact that enters it, as the test service needs it.
 *
 * @param name             the suite's name in the pipeline definition, as {@link TestSuiteRunFinished#suite()} reports it
 * @param kind             which runner executes it, e.g. {@code image-checks}, {@code http-smoke}, {@code external}; a
 *                         consumer that does not know the kind reports the suite as an error rather than skipping it
 * @param requiredLabels   image labels the artifact must carry; empty when none are required
 * @param nonRoot          whether the image must not run as root
 * @param maxSizeBytes     the largest the image may be, in bytes
 * @param retries          how many times a failed run is run again before its failure counts (explicit flaky
 *                         tolerance); 0 when the first verdict stands
 * @param allowedPlatforms the platforms ({@code os/arch[/variant]}) an image may be built for; empty when any is allowed
 * @param baseImageDigests the base images the artifact may be built on, by digest; empty when not checked
 * @param http             the request of an {@code http-smoke} suite; null for other kinds
 * @param external         where an {@code external} suite's result comes from and how long to wait; null for other kinds
 */
public record SuitePolicy(String name, String kind, List<String> requiredLabels, boolean nonRoot,
                          long maxSizeBytes, int retries, List<String> allowedPlatforms,
                          List<Digest> baseImageDigests, HttpSmokePolicy http, ExternalSuitePolicy external) {

    /** The runner that reads the image's manifest and config in the registry. */
    public static final String IMAGE_CHECKS = "image-checks";
    /** The runner that calls the stage's URL once the stage runs the artifact. */
    public static final String HTTP_SMOKE = "http-smoke";
    /** The runner that waits for a result reported from outside (JUnit XML or a CDEvent). */
    public static final String EXTERNAL = "external";

    /** The largest {@code retries}: flaky tolerance is for a flake, not for a suite that fails every time. */
    public static final int MAX_RETRIES = 10;

    public SuitePolicy {
        Require.name(name, "name");
        Require.kind(kind, "kind");
        if (requiredLabels == null) {
            throw new IllegalArgumentException("requiredLabels must not be null; use an empty list when no label"
                    + " is required");
        }
        for (int i = 0; i < requiredLabels.size(); i++) {
            Require.text(requiredLabels.get(i), "requiredLabels[" + i + "]");
        }
        requiredLabels = List.copyOf(requiredLabels);
        if (maxSizeBytes <= 0) {
            throw new IllegalArgumentException("maxSizeBytes must be more than 0, got " + maxSizeBytes);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("retries must be 0 to " + MAX_RETRIES + ", got " + retries);
        }
        allowedPlatforms = allowedPlatforms == null ? List.of() : List.copyOf(allowedPlatforms);
        for (int i = 0; i < allowedPlatforms.size(); i++) {
            Require.text(allowedPlatforms.get(i), "allowedPlatforms[" + i + "]");
        }
        baseImageDigests = baseImageDigests == null ? List.of() : List.copyOf(baseImageDigests);
    }

    /** A suite as the first version of the contract knew it: no retries, no platform or base-image rules. */
    public SuitePolicy(String name, String kind, List<String> requiredLabels, boolean nonRoot, long maxSizeBytes) {
        this(name, kind, requiredLabels, nonRoot, maxSizeBytes, 0, List.of(), List.of(), null, null);
    }
}
