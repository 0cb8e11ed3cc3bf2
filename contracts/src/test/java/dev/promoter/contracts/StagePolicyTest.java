package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of StagePolicy, SuitePolicy and HealthCheckPolicy, each with the message that says what to fix. */
class StagePolicyTest {

    private static final URI URL = URI.create("http://127.0.0.1:18080/stages/prod/health");

    @Test
    void aStageMayHaveNothingToTestAndNoHealthChecks() {
        StagePolicy policy = new StagePolicy(List.of(), null);

        assertThat(policy.suites()).isEmpty();
        assertThat(policy.health()).isNull();
    }

    @Test
    void listsAreImmutableCopies() {
        List<String> labels = new ArrayList<>(List.of("org.opencontainers.image.revision"));
        SuitePolicy suite = new SuitePolicy("image-checks", "image-checks", labels, true, 1);
        List<SuitePolicy> suites = new ArrayList<>(List.of(suite));
        StagePolicy policy = new StagePolicy(suites, null);

        labels.add("org.opencontainers.image.source");
        suites.clear();

        assertThat(suite.requiredLabels()).containsExactly("org.opencontainers.image.revision");
        assertThat(policy.suites()).containsExactly(suite);
        assertThatThrownBy(() -> policy.suites().add(suite)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> suite.requiredLabels().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void suitesAreAListEvenWhenEmpty() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StagePolicy(null, null))
                .withMessage("suites must not be null; use an empty list when the stage has nothing to test");
    }

    @Test
    void everySuiteIsThere() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StagePolicy(Arrays.asList(suite("a"), null), null))
                .withMessage("suites[1] is required");
    }

    @Test
    void suiteNamesAreUniqueInAStage() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StagePolicy(List.of(suite("smoke"), suite("image"), suite("smoke")), null))
                .withMessage("suites[2] has the name 'smoke' of suites[0]; give every suite of a stage its own name");
    }

    @Test
    void suiteNamesDifferingOnlyInCaseAreDifferentSuites() {
        assertThat(new StagePolicy(List.of(suite("smoke"), suite("Smoke")), null).suites()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "smoke tests", "-smoke", "smoke/http", "ü"})
    void suiteNameIsOneNameSegment(String name) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy(name, "image-checks", List.of(), false, 1))
                .withMessage("name must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit,"
                        + " got '" + name + "'");
    }

    @Test
    void suiteNameIsAtMost128Characters() {
        assertThat(suite("s".repeat(128)).name()).hasSize(128);
        assertThatIllegalArgumentException().isThrownBy(() -> suite("s".repeat(129)))
                .withMessageStartingWith("name must be 1 to 128 letters");
        assertThatIllegalArgumentException().isThrownBy(() -> suite(null))
                .withMessageEndingWith("got null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Image-Checks", "image_checks", "image checks"})
    void kindIsLowercaseLettersDigitsAndDashes(String kind) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("smoke", kind, List.of(), false, 1))
                .withMessage("kind must be 1 to 64 lowercase letters, digits or '-', such as 'image-checks', got '"
                        + kind + "'");
    }

    @Test
    void kindIsOpenEndedSoConsumersCanReportKindsTheyDoNotKnow() {
        assertThat(new SuitePolicy("load", "load-test-2", List.of(), false, 1).kind()).isEqualTo("load-test-2");
        assertThat(new SuitePolicy("k", "k".repeat(64), List.of(), false, 1).kind()).hasSize(64);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("k", "k".repeat(65), List.of(), false, 1))
                .withMessageStartingWith("kind must be 1 to 64 lowercase letters");
    }

    @Test
    void requiredLabelsAreAListEvenWhenEmpty() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("smoke", "image-checks", null, false, 1))
                .withMessage("requiredLabels must not be null; use an empty list when no label is required");
    }

    @Test
    void requiredLabelsAreNotBlank() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("smoke", "image-checks", List.of("a", " "), false, 1))
                .withMessage("requiredLabels[1] must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("smoke", "image-checks", Arrays.asList((String) null), false, 1))
                .withMessage("requiredLabels[0] must not be blank");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void maxSizeIsPositive(long maxSizeBytes) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("smoke", "image-checks", List.of(), false, maxSizeBytes))
                .withMessage("maxSizeBytes must be more than 0, got " + maxSizeBytes);
    }

    @Test
    void aHealthCheckAsTheRollbackServiceNeedsIt() {
        HealthCheckPolicy health = new HealthCheckPolicy(URI.create("https://cart.example/health"),
                Duration.ofSeconds(1), Duration.ofMillis(999), 1, 1, Duration.ZERO);

        assertThat(new StagePolicy(List.of(), health).health()).isSameAs(health);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stages/prod/health", "ftp://127.0.0.1/health", "HTTP://127.0.0.1/health",
        "http:health", "http:///health", "file:///health", "mailto:ops@example.com"})
    void healthUrlIsAnAbsoluteHttpUrlWithAHost(String url) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> health(URI.create(url), 1000, 500, 3, 1, 0))
                .withMessage("url must be an absolute http:// or https:// URL with a host, got '" + url + "'");
    }

    @Test
    void healthUrlIsRequired() {
        assertThatIllegalArgumentException().isThrownBy(() -> health(null, 1000, 500, 3, 1, 0))
                .withMessage("url is required");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1000})
    void intervalIsPositive(long intervalMs) {
        assertThatIllegalArgumentException().isThrownBy(() -> health(URL, intervalMs, 500, 3, 1, 0))
                .withMessage("interval must be more than 0, got " + intervalMs + " ms");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -500})
    void timeoutIsPositive(long timeoutMs) {
        assertThatIllegalArgumentException().isThrownBy(() -> health(URL, 1000, timeoutMs, 3, 1, 0))
                .withMessage("timeout must be more than 0, got " + timeoutMs + " ms");
    }

    @ParameterizedTest
    @ValueSource(longs = {1000, 1001, 60_000})
    void timeoutIsShorterThanIntervalSoProbesNeverOverlap(long timeoutMs) {
        assertThatIllegalArgumentException().isThrownBy(() -> health(URL, 1000, timeoutMs, 3, 1, 0))
                .withMessage("timeout must be shorter than interval (1000 ms), got " + timeoutMs + " ms");
    }

    @Test
    void thresholdsCountFromOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> health(URL, 1000, 500, 0, 1, 0))
                .withMessage("failureThreshold must be 1 or more, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> health(URL, 1000, 500, 3, -1, 0))
                .withMessage("successThreshold must be 1 or more, got -1");
    }

    @Test
    void gracePeriodIsZeroOrMore() {
        assertThat(health(URL, 1000, 500, 3, 1, 0).gracePeriod()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> health(URL, 1000, 500, 3, 1, -1))
                .withMessage("gracePeriod must be 0 or more, got -1 ms");
    }

    @Test
    void durationsAreRequired() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealthCheckPolicy(URL, null, Duration.ofMillis(500), 3, 1, Duration.ZERO))
                .withMessage("interval is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealthCheckPolicy(URL, Duration.ofSeconds(1), null, 3, 1, Duration.ZERO))
                .withMessage("timeout is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealthCheckPolicy(URL, Duration.ofSeconds(1), Duration.ofMillis(500), 3, 1,
                        null))
                .withMessage("gracePeriod is required");
    }

    @Test
    void durationsAreWholeMillisecondsBecauseTheWireCarriesMilliseconds() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealthCheckPolicy(URL, Duration.ofSeconds(1), Duration.ofNanos(500_000_001L),
                        3, 1, Duration.ZERO))
                .withMessage("timeout must be a whole number of milliseconds that fits in a long, got PT0.500000001S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealthCheckPolicy(URL, Duration.ofSeconds(Long.MAX_VALUE),
                        Duration.ofMillis(500), 3, 1, Duration.ZERO))
                .withMessageStartingWith("interval must be a whole number of milliseconds that fits in a long, got PT");
    }

    @Test
    void aSuiteWrittenForTheFirstContractVersionHasNoRetriesAndNoPlatformOrBaseImageRules() {
        SuitePolicy suite = new SuitePolicy("image-checks", "image-checks", List.of(), true, 1);

        assertThat(suite.retries()).isZero();
        assertThat(suite.allowedPlatforms()).isEmpty();
        assertThat(suite.baseImageDigests()).isEmpty();
        assertThat(suite.http()).isNull();
        assertThat(suite.external()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 11})
    void retriesAreExplicitAndBounded(int retries) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SuitePolicy("smoke", "http-smoke", List.of(), false, 1, retries, List.of(),
                        List.of(), null, null))
                .withMessage("retries must be 0 to 10, got " + retries);
    }

    @Test
    void anHttpSmokeRequestSaysWhatToFix() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> http("get", "/", 200, Duration.ofSeconds(1), 1))
                .withMessage("method must be an HTTP method in capitals, e.g. GET, got 'get'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> http("GET", "api", 200, Duration.ofSeconds(1), 1))
                .withMessage("path must start with '/' and hold no spaces, got 'api'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> http("GET", "/", 99, Duration.ofSeconds(1), 1))
                .withMessage("expectedStatus must be 100 to 599, got 99");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> http("GET", "/", 200, Duration.ZERO, 1))
                .withMessage("timeout must be more than 0, in whole milliseconds, got PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> http("GET", "/", 200, Duration.ofSeconds(1), 0))
                .withMessage("tries must be 1 to 100, got 0");
    }

    @Test
    void anHttpSmokeRequestTargetsThePathOnTheStageUrl() {
        HttpSmokePolicy http = new HttpSmokePolicy(URI.create("http://127.0.0.1:18080/"), "GET", "/api/cart?x=1",
                Map.of(), 200, null, Map.of(), Duration.ofSeconds(1), 1, Duration.ZERO, "/digest");

        assertThat(http.target()).isEqualTo(URI.create("http://127.0.0.1:18080/api/cart?x=1"));
        assertThat(http.digestTarget()).isEqualTo(URI.create("http://127.0.0.1:18080/digest"));
    }

    @Test
    void anExternalSuiteNamesItsSourceAndADeadline() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ExternalSuitePolicy("xunit", Duration.ofMinutes(1)))
                .withMessage("source must be junit or cdevents, got 'xunit'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ExternalSuitePolicy("junit", Duration.ZERO))
                .withMessage("deadline must be more than 0, in whole milliseconds, got PT0S");
    }

    private static HttpSmokePolicy http(String method, String path, int status, Duration timeout, int tries) {
        return new HttpSmokePolicy(URL, method, path, Map.of(), status, null, Map.of(), timeout, tries,
                Duration.ZERO, null);
    }

    private static SuitePolicy suite(String name) {
        return new SuitePolicy(name, "image-checks", List.of(), false, 1);
    }

    private static HealthCheckPolicy health(URI url, long intervalMs, long timeoutMs, int failureThreshold,
                                            int successThreshold, long gracePeriodMs) {
        return new HealthCheckPolicy(url, Duration.ofMillis(intervalMs), Duration.ofMillis(timeoutMs),
                failureThreshold, successThreshold, Duration.ofMillis(gracePeriodMs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0123ABCD", "G01PRIVATE", "#releases", "#team-cart.prod"})
    void slackChannelIsAnIdOrAChannelName(String channel) {
        assertThat(new StagePolicy(List.of(), null, channel).slackChannel()).isEqualTo(channel);
    }

    @ParameterizedTest
    @ValueSource(strings = {"releases", "#Releases", "C01", "c0123abcd", "#", " ", "#a b"})
    void slackChannelOtherwiseSaysWhatItMustBe(String channel) {
        assertThatIllegalArgumentException().isThrownBy(() -> new StagePolicy(List.of(), null, channel))
                .withMessageContaining("slackChannel must be a Slack channel id such as C0123ABCD or a channel name"
                        + " such as #releases");
    }

    @Test
    void withoutADeployHookOrDriftPolicyAStageReportsDrift() {
        StagePolicy policy = new StagePolicy(List.of(), null, null);
        assertThat(policy.deployHook()).isNull();
        assertThat(policy.drift()).isEqualTo(DriftPolicy.REPORT);
        assertThat(new StagePolicy(List.of(), null, null, null, null).drift()).isEqualTo(DriftPolicy.REPORT);
    }

    @Test
    void aDeployHookNamesItsSecretNeverHoldsIt() {
        assertThat(new DeployHookPolicy(URI.create("https://deploy.example/hooks/prod"), "prod-runtime").secret())
                .isEqualTo("prod-runtime");
        assertThatIllegalArgumentException().isThrownBy(() -> new DeployHookPolicy(
                        URI.create("https://deploy.example/hooks/prod"), "s3cr3t value!"))
                .withMessageContaining("deployHook.secret must name a secret");
        assertThatIllegalArgumentException().isThrownBy(() -> new DeployHookPolicy(URI.create("ftp://x/y"), null))
                .withMessageContaining("deployHook.url");
    }

    @Test
    void driftIsReportOrRestore() {
        assertThat(DriftPolicy.fromWireValue("restore")).isEqualTo(DriftPolicy.RESTORE);
        assertThat(DriftPolicy.REPORT.wireValue()).isEqualTo("report");
        assertThatIllegalArgumentException().isThrownBy(() -> DriftPolicy.fromWireValue("fix"))
                .withMessage("drift must be report or restore, got 'fix'");
    }
}
