package dev.promoter.contracts;

import java.util.List;

/**
 * One test suite a stage runs against every artifact that enters it, as the test service needs it.
 *
 * @param name           the suite's name in the pipeline definition, as {@link TestSuiteRunFinished#suite()} reports it
 * @param kind           which runner executes it, e.g. {@code image-checks}; a consumer that does not know the kind
 *                       reports the suite as an error rather than skipping it
 * @param requiredLabels image labels the artifact must carry; empty when none are required
 * @param nonRoot        whether the image must not run as root
 * @param maxSizeBytes   the largest the image may be, in bytes
 */
public record SuitePolicy(String name, String kind, List<String> requiredLabels, boolean nonRoot,
                          long maxSizeBytes) {

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
    }
}
