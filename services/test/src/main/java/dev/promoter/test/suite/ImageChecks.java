package dev.promoter.test.suite;

import dev.promoter.contracts.SuitePolicy;
import dev.promoter.oci.ImageInfo;
import dev.promoter.oci.Platform;
import dev.promoter.oci.PlatformImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code image-checks} suite: judges an artifact by what its manifest and config in the registry
 * say — required labels, the user it runs as, its size, its platform, its base image — for every platform image
 * of an index.
 */
final class ImageChecks {

    /** The suite kind this runner executes. */
    static final String KIND = SuitePolicy.IMAGE_CHECKS;

    /** The OCI annotation, as an image label, naming the digest of the image this one was built on. */
    static final String BASE_DIGEST_LABEL = "org.opencontainers.image.base.digest";

    private ImageChecks() {
    }

    static boolean runs(SuitePolicy suite) {
        return KIND.equals(suite.kind());
    }

    /**
     * SUCCESS when every platform image keeps every rule of {@code suite}; FAILURE listing each broken
     * rule (prefixed with the platform for an index); ERROR for a suite of another kind.
     */
    static SuiteRunVerdict evaluate(SuitePolicy suite, ImageInfo artifact) {
        if (!runs(suite)) {
            return SuiteRunVerdict.unknownKind(suite.kind());
        }
        if (artifact.images().isEmpty()) {
            return SuiteRunVerdict.of(List.of("the image index " + artifact.digest() + " holds no runnable image"));
        }
        List<String> findings = new ArrayList<>();
        for (PlatformImage image : artifact.images()) {
            String where = artifact.isIndex() ? image.platform() + ": " : "";
            for (String finding : findingsOf(suite, image)) {
                findings.add(where + finding);
            }
        }
        return SuiteRunVerdict.of(findings);
    }

    private static List<String> findingsOf(SuitePolicy suite, PlatformImage image) {
        List<String> findings = new ArrayList<>();
        for (String label : suite.requiredLabels()) {
            String value = image.labels().get(label);
            if (value == null) {
                findings.add("missing label " + label);
            } else if (value.isBlank()) {
                findings.add("blank label " + label);
            }
        }
        if (suite.nonRoot() && image.runsAsRoot()) {
            findings.add("runs as root (user '" + image.user() + "')");
        }
        if (image.totalSize() > suite.maxSizeBytes()) {
            findings.add("size " + image.totalSize() + " bytes exceeds the maximum of " + suite.maxSizeBytes() + " bytes");
        }
        if (!suite.allowedPlatforms().isEmpty() && suite.allowedPlatforms().stream()
                .noneMatch(allowed -> image.platform().matches(Platform.parse(allowed)))) {
            findings.add("platform " + image.platform() + " is not allowed (allowed: "
                    + String.join(", ", suite.allowedPlatforms()) + ")");
        }
        if (!suite.baseImageDigests().isEmpty()) {
            String base = image.labels().get(BASE_DIGEST_LABEL);
            if (base == null || base.isBlank()) {
                findings.add("no base image digest (label " + BASE_DIGEST_LABEL + ") to check against the allow-list");
            } else if (suite.baseImageDigests().stream().noneMatch(allowed -> allowed.value().equals(base.trim()))) {
                findings.add("base image " + base.trim() + " is not in the allow-list");
            }
        }
        return findings;
    }
}
