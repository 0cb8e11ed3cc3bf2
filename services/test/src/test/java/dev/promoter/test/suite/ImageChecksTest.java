package dev.promoter.test.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.contracts.Digest;
import dev.promoter.contracts.SuitePolicy;
import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import dev.promoter.oci.ImageInfo;
import dev.promoter.oci.Manifest;
import dev.promoter.oci.Platform;
import dev.promoter.oci.PlatformImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageChecksTest {

    private static final String REVISION = "org.opencontainers.image.revision";
    private static final String SOURCE = "org.opencontainers.image.source";
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final Map<String, String> GOOD_LABELS = Map.of(REVISION, "0123456789abcdef", SOURCE,
            "https://example.com/shop/cart");

    private static SuitePolicy checks(List<String> labels, boolean nonRoot, long maxSizeBytes) {
        return new SuitePolicy("image-checks", "image-checks", labels, nonRoot, maxSizeBytes);
    }

    private static final SuitePolicy STRICT = checks(List.of(REVISION, SOURCE), true, 1_000);

    private static PlatformImage image(Platform platform, Map<String, String> labels, String user, long layerSize) {
        return new PlatformImage("sha256:" + "b".repeat(64), Manifest.OCI_MANIFEST, platform, "sha256:" + "c".repeat(64),
                labels, user, 100, List.of(layerSize), 100 + layerSize);
    }

    private static ImageInfo single(PlatformImage image) {
        return new ImageInfo("shop/cart", DIGEST, Manifest.OCI_MANIFEST, 400, List.of(image));
    }

    private static ImageInfo index(PlatformImage... images) {
        return new ImageInfo("shop/cart", DIGEST, Manifest.OCI_INDEX, 600, List.of(images));
    }

    @Test
    void anImageKeepingEveryRuleSucceedsWithoutReason() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, single(image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 900)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.reason()).isNull();
    }

    @Test
    void aMissingRequiredLabelFails() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT,
                single(image(Platform.LINUX_AMD64, Map.of(SOURCE, "https://example.com"), "1000", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.findings()).containsExactly("missing label " + REVISION);
        assertThat(verdict.reason()).isEqualTo("missing label " + REVISION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void aBlankRequiredLabelFails(String blank) {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT,
                single(image(Platform.LINUX_AMD64, Map.of(REVISION, blank, SOURCE, "https://example.com"), "1000", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.findings()).containsExactly("blank label " + REVISION);
    }

    @Test
    void noRequiredLabelsAcceptsAnImageWithoutLabels() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(checks(List.of(), true, 1_000),
                single(image(Platform.LINUX_AMD64, Map.of(), "app", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "root", "0", "0:0", "root:root", "root:1000", "0:app"})
    void everySpellingOfRootFailsANonRootSuite(String user) {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, single(image(Platform.LINUX_AMD64, GOOD_LABELS, user, 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.findings()).containsExactly("runs as root (user '" + user + "')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000", "app", "app:app", "1000:0", "65534:65534", "rootless"})
    void aNonRootUserPassesANonRootSuite(String user) {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, single(image(Platform.LINUX_AMD64, GOOD_LABELS, user, 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void rootIsAcceptedWhenTheSuiteDoesNotRequireNonRoot() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(checks(List.of(REVISION), false, 1_000),
                single(image(Platform.LINUX_AMD64, GOOD_LABELS, "", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void anImageExactlyAtTheMaximumSizePasses() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, single(image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 900)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void anImageOneByteOverTheMaximumSizeFails() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, single(image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 901)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.findings()).containsExactly("size 1001 bytes exceeds the maximum of 1000 bytes");
    }

    @Test
    void everyBrokenRuleIsListedInTheReason() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT,
                single(image(Platform.LINUX_AMD64, Map.of(SOURCE, " "), "", 5_000)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.reason()).isEqualTo("missing label " + REVISION + "; blank label " + SOURCE
                + "; runs as root (user ''); size 5100 bytes exceeds the maximum of 1000 bytes");
    }

    @Test
    void theExampleReasonReadsAsDocumented() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(checks(List.of(REVISION), true, 1_000),
                single(image(Platform.LINUX_AMD64, Map.of(), "", 10)));

        assertThat(verdict.reason()).isEqualTo("missing label org.opencontainers.image.revision; runs as root (user '')");
    }

    @Test
    void anIndexWhosePlatformsAllPassSucceeds() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, index(
                image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 10),
                image(Platform.LINUX_ARM64, GOOD_LABELS, "1000", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void anIndexWithOneBadPlatformFailsNamingThatPlatform() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, index(
                image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 10),
                image(Platform.LINUX_ARM64, Map.of(SOURCE, "https://example.com"), "root", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.findings()).containsExactly(
                "linux/arm64/v8: missing label " + REVISION,
                "linux/arm64/v8: runs as root (user 'root')");
    }

    @Test
    void anIndexChecksTheSizeOfEachPlatformImage() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, index(
                image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 2_000),
                image(Platform.LINUX_ARM64, GOOD_LABELS, "1000", 10)));

        assertThat(verdict.findings()).containsExactly("linux/amd64: size 2100 bytes exceeds the maximum of 1000 bytes");
    }

    @Test
    void anIndexWithoutRunnableImagesFails() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, index());

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.reason()).isEqualTo("the image index " + DIGEST + " holds no runnable image");
    }

    @Test
    void aSingleImageFindingNamesNoPlatform() {
        SuiteRunVerdict verdict = ImageChecks.evaluate(STRICT, single(image(Platform.LINUX_ARM64, GOOD_LABELS, "0", 10)));

        assertThat(verdict.reason()).isEqualTo("runs as root (user '0')");
    }

    @Test
    void aSuiteOfAnUnknownKindIsAnErrorNotAVerdict() {
        SuitePolicy smoke = new SuitePolicy("smoke", "load-test", List.of(), false, 1);

        assertThat(ImageChecks.runs(smoke)).isFalse();
        SuiteRunVerdict verdict = ImageChecks.evaluate(smoke, single(image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 10)));
        assertThat(verdict.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.reason()).isEqualTo("unknown suite kind 'load-test'");
    }

    @Test
    void anErrorAlwaysSaysWhy() {
        assertThat(SuiteRunVerdict.errored("registry down").reason()).isEqualTo("registry down");
        assertThat(SuiteRunVerdict.errored(" ").reason()).isEqualTo("unknown fault");
        assertThat(SuiteRunVerdict.errored(null).outcome()).isEqualTo(Outcome.ERROR);
    }
    private static SuitePolicy platformsAndBases(List<String> platforms, List<Digest> bases) {
        return new SuitePolicy("image-checks", "image-checks", List.of(), false, 1_000, 0, platforms, bases, null, null);
    }

    @Test
    void everyPlatformOfAnIndexMustBeAllowedAndTheOneThatIsNotIsNamed() {
        SuitePolicy amd64Only = platformsAndBases(List.of("linux/amd64"), List.of());

        SuiteRunVerdict verdict = ImageChecks.evaluate(amd64Only, index(image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 10),
                image(Platform.LINUX_ARM64, GOOD_LABELS, "1000", 10)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(verdict.reason()).isEqualTo("linux/arm64/v8: platform linux/arm64/v8 is not allowed (allowed: linux/amd64)");
        assertThat(ImageChecks.evaluate(platformsAndBases(List.of("linux/amd64", "linux/arm64"), List.of()),
                index(image(Platform.LINUX_AMD64, GOOD_LABELS, "1000", 10),
                        image(Platform.LINUX_ARM64, GOOD_LABELS, "1000", 10))).outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void aBaseImageOutsideTheAllowListFailsAndOneInsidePasses() {
        Digest allowed = Digest.parse("sha256:" + "1".repeat(64));
        Digest other = Digest.parse("sha256:" + "2".repeat(64));
        SuitePolicy suite = platformsAndBases(List.of(), List.of(allowed));

        assertThat(ImageChecks.evaluate(suite, single(image(Platform.LINUX_AMD64,
                Map.of(ImageChecks.BASE_DIGEST_LABEL, allowed.value()), "1000", 10))).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(ImageChecks.evaluate(suite, single(image(Platform.LINUX_AMD64,
                Map.of(ImageChecks.BASE_DIGEST_LABEL, other.value()), "1000", 10))).reason())
                .isEqualTo("base image " + other.value() + " is not in the allow-list");
        assertThat(ImageChecks.evaluate(suite, single(image(Platform.LINUX_AMD64, Map.of(), "1000", 10))).reason())
                .isEqualTo("no base image digest (label org.opencontainers.image.base.digest) to check against the"
                        + " allow-list");
    }
}
