package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.MINIMAL;
import static dev.promoter.promote.definition.Definitions.messagesOf;
import static dev.promoter.promote.definition.Definitions.withHealth;
import static dev.promoter.promote.definition.Definitions.withSuite;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Definitions the schema or the cross-field rules refuse, and the words they are refused with. */
class PipelineDefinitionRejectionTest {

    private static final String URL = "url: http://127.0.0.1:18080/health\n";

    @Test
    void applicationWithCapitalsAndUnderscore() {
        assertThat(messagesOf("application: Shop_Cart\nrepository: 127.0.0.1:15000/shop/cart\n"))
                .containsExactly("application: must match [a-z0-9][a-z0-9-]{0,62}, got 'Shop_Cart'");
    }

    @Test
    void applicationLongerThanSixtyThreeCharacters() {
        String name = "a".repeat(64);
        assertThat(messagesOf("application: " + name + "\nrepository: localhost/x\n"))
                .containsExactly("application: must match [a-z0-9][a-z0-9-]{0,62}, got '" + name + "'");
    }

    @Test
    void applicationStartingWithADash() {
        assertThat(messagesOf("application: -cart\nrepository: localhost/x\n"))
                .containsExactly("application: must match [a-z0-9][a-z0-9-]{0,62}, got '-cart'");
    }

    @Test
    void applicationThatIsANumber() {
        assertThat(messagesOf("application: 42\nrepository: localhost/x\n"))
                .containsExactly("application: must be text, got 42");
    }

    @Test
    void applicationMissing() {
        assertThat(messagesOf("repository: localhost/x\n")).containsExactly("application: is required");
    }

    @Test
    void repositoryMissing() {
        assertThat(messagesOf("application: cart\n")).containsExactly("repository: is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop/cart", "cart", "127.0.0.1:15000/Shop/Cart", "127.0.0.1:15000/", "127.0.0.1:15000/shop//cart",
            "https://127.0.0.1:15000/shop/cart", "127.0.0.1:15000/shop/cart:latest"})
    void repositoryThatIsNotARegistryAndPath(String repository) {
        assertThat(messagesOf("application: cart\nrepository: '" + repository + "'\n")).containsExactly(
                "repository: must be an OCI repository including its registry, <host>[:<port>]/<path> with a"
                        + " lower-case path (e.g. 127.0.0.1:15000/shop/cart), got '" + repository + "'");
    }

    @Test
    void stageNameWithCapitals() {
        assertThat(messagesOf(MINIMAL + "stages: [{name: Dev}]\n"))
                .containsExactly("stages[0].name: must match [a-z0-9][a-z0-9-]{0,30}, got 'Dev'");
    }

    @Test
    void stageNameLongerThanThirtyOneCharacters() {
        String name = "s".repeat(32);
        assertThat(messagesOf(MINIMAL + "stages: [{name: dev}, {name: " + name + "}]\n"))
                .containsExactly("stages[1].name: must match [a-z0-9][a-z0-9-]{0,30}, got '" + name + "'");
    }

    @Test
    void stageWrittenAsAPlainName() {
        assertThat(messagesOf(MINIMAL + "stages: [dev, prod]\n")).containsExactly(
                "stages[0]: must be a mapping with at least a name (e.g. '- name: dev'), got 'dev'",
                "stages[1]: must be a mapping with at least a name (e.g. '- name: dev'), got 'prod'");
    }

    @Test
    void stageWithoutName() {
        assertThat(messagesOf(MINIMAL + "stages: [{suites: []}]\n")).containsExactly("stages[0].name: is required");
    }

    @Test
    void emptyStageList() {
        assertThat(messagesOf(MINIMAL + "stages: []\n")).containsExactly("stages: must list at least one entry");
    }

    @Test
    void duplicateStageNames() {
        assertThat(messagesOf(MINIMAL + "stages: [{name: dev}, {name: test}, {name: dev}]\n")).containsExactly(
                "stages[2].name: 'dev' is already the name of stages[0]; stage names must be unique, each is a registry tag");
    }

    @Test
    void duplicateSuiteNamesInOneStage() {
        assertThat(messagesOf(MINIMAL + """
                stages:
                  - name: dev
                    suites:
                      - {name: image-checks, kind: image-checks}
                      - {name: image-checks, kind: image-checks, nonRoot: false}
                """)).containsExactly("stages[0].suites[1].name: 'image-checks' is already the name of"
                        + " stages[0].suites[0]; suite names must be unique within a stage");
    }

    @Test
    void unknownTopLevelField() {
        assertThat(messagesOf(MINIMAL + "owner: team-a\n"))
                .containsExactly("owner: unknown field; allowed here: application, repository, stages, source, people, groups");
    }

    @Test
    void misspelledHealthField() {
        assertThat(messagesOf(withHealth(URL + "intervall: 1s"))).containsExactly(
                "stages[0].health.intervall: unknown field; allowed here: url, interval, timeout,"
                        + " failureThreshold, successThreshold, gracePeriod");
    }

    @Test
    void unknownStageAndSuiteFields() {
        assertThat(messagesOf(MINIMAL + """
                stages:
                  - name: dev
                    approvers: [alice]
                    suites:
                      - {name: image-checks, kind: image-checks, platform: linux/amd64}
                """)).containsExactly(
                "stages[0].approvers: unknown field; allowed here: name, suites, health, promotion, gates, slack, deployHook,"
                        + " drift",
                "stages[0].suites[0].platform: unknown field; allowed here: name, kind, requiredLabels, nonRoot,"
                        + " maxSizeBytes, retries, allowedPlatforms, baseImageDigests, http, external");
    }

    @Test
    void unknownSuiteKind() {
        assertThat(messagesOf(withSuite("name: unit\nkind: junit")))
                .containsExactly("stages[0].suites[0].kind: must be one of image-checks, http-smoke, external, got 'junit'");
    }

    @Test
    void suiteWithoutKind() {
        assertThat(messagesOf(withSuite("name: image-checks"))).containsExactly("stages[0].suites[0].kind: is required");
    }

    @Test
    void suiteNameWithSpaces() {
        assertThat(messagesOf(withSuite("name: image checks\nkind: image-checks")))
                .containsExactly("stages[0].suites[0].name: must match [a-z0-9][a-z0-9-]{0,62}, got 'image checks'");
    }

    @Test
    void zeroMaximumImageSize() {
        assertThat(messagesOf(withSuite("name: c\nkind: image-checks\nmaxSizeBytes: 0")))
                .containsExactly("stages[0].suites[0].maxSizeBytes: must be at least 1, got 0");
    }

    @Test
    void nonRootThatIsNotABoolean() {
        assertThat(messagesOf(withSuite("name: c\nkind: image-checks\nnonRoot: 'yes'")))
                .containsExactly("stages[0].suites[0].nonRoot: must be true or false, got 'yes'");
    }

    @Test
    void repeatedRequiredLabel() {
        assertThat(messagesOf(withSuite("name: c\nkind: image-checks\nrequiredLabels: [a.b, c.d, a.b]")))
                .containsExactly("stages[0].suites[0].requiredLabels: lists 'a.b' more than once; keep one");
    }

    @Test
    void emptyRequiredLabel() {
        assertThat(messagesOf(withSuite("name: c\nkind: image-checks\nrequiredLabels: ['']")))
                .contains("stages[0].suites[0].requiredLabels[0]: must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 seconds", "1h", "1.5s", "5", "s", "05s", "-1s", "0s", "0ms"})
    void intervalThatIsNotAPositiveDuration(String interval) {
        assertThat(messagesOf(withHealth(URL + "interval: '" + interval + "'"))).containsExactly(
                "stages[0].health.interval: must be a duration above zero written <n>ms, <n>s or <n>m"
                        + " (e.g. 500ms, 5s, 2m), got '" + interval + "'");
    }

    @Test
    void durationWrittenAsABareNumber() {
        assertThat(messagesOf(withHealth(URL + "timeout: 3"))).containsExactly(
                "stages[0].health.timeout: must be a duration above zero written <n>ms, <n>s or <n>m"
                        + " (e.g. 500ms, 5s, 2m), got 3");
    }

    @Test
    void negativeGracePeriod() {
        assertThat(messagesOf(withHealth(URL + "gracePeriod: -5s"))).containsExactly(
                "stages[0].health.gracePeriod: must be a duration written <n>ms, <n>s or <n>m (e.g. 0s, 30s, 2m),"
                        + " got '-5s'");
    }

    @Test
    void timeoutEqualToInterval() {
        assertThat(messagesOf(withHealth(URL + "interval: 1s\ntimeout: 1000ms"))).containsExactly(
                "stages[0].health.timeout: must be shorter than interval (1s), got 1000ms");
    }

    @Test
    void timeoutLongerThanIntervalInALaterStage() {
        assertThat(messagesOf(MINIMAL + """
                stages:
                  - name: dev
                  - name: prod
                    health: {url: 'http://127.0.0.1:18080/health', interval: 1s, timeout: 2m}
                """)).containsExactly("stages[1].health.timeout: must be shorter than interval (1s), got 2m");
    }

    @Test
    void defaultTimeoutNotShorterThanAShortInterval() {
        assertThat(messagesOf(withHealth(URL + "interval: 2s"))).containsExactly(
                "stages[0].health.timeout: must be shorter than interval (2s), and the default timeout 2s is not;"
                        + " set a shorter one");
    }

    @Test
    void negativeFailureThreshold() {
        assertThat(messagesOf(withHealth(URL + "failureThreshold: -1")))
                .containsExactly("stages[0].health.failureThreshold: must be at least 1, got -1");
    }

    @Test
    void zeroSuccessThreshold() {
        assertThat(messagesOf(withHealth(URL + "successThreshold: 0")))
                .containsExactly("stages[0].health.successThreshold: must be at least 1, got 0");
    }

    @Test
    void fractionalThreshold() {
        assertThat(messagesOf(withHealth(URL + "failureThreshold: 2.5")))
                .containsExactly("stages[0].health.failureThreshold: must be a whole number, got 2.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/health", "127.0.0.1:18080/health", "/stages/dev/health",
            "http://user:secret@127.0.0.1/health", "http:///health", "file:///etc/passwd"})
    void healthUrlThatIsNotAnAbsoluteHttpUrl(String url) {
        assertThat(messagesOf(withHealth("url: '" + url + "'"))).containsExactly(
                "stages[0].health.url: must be an absolute http or https URL without user info"
                        + " (e.g. http://127.0.0.1:18080/health), got '" + url + "'");
    }

    @Test
    void healthUrlWhoseHostJavaCannotRead() {
        assertThat(messagesOf(withHealth("url: http://my_host:8080/health"))).containsExactly(
                "stages[0].health.url: must be an absolute http or https URL with a host name,"
                        + " got 'http://my_host:8080/health'");
    }

    @Test
    void healthUrlThatIsNotAUri() {
        assertThat(messagesOf(withHealth("url: 'http://127.0.0.1:18080/a|b'"))).singleElement().asString()
                .startsWith("stages[0].health.url: must be an absolute http or https URL with a host name (")
                .endsWith("got 'http://127.0.0.1:18080/a|b'");
    }

    @Test
    void healthWithoutUrl() {
        assertThat(messagesOf(withHealth("interval: 1s"))).containsExactly("stages[0].health.url: is required");
    }

    @Test
    void rootThatIsAList() {
        assertThat(messagesOf("- application: cart\n")).containsExactly("(document): must be a mapping, got a list");
    }

    @Test
    void rootThatIsAScalar() {
        assertThat(messagesOf("shop-cart\n")).containsExactly("(document): must be a mapping, got 'shop-cart'");
    }

    @Test
    void everyProblemIsReportedAtOnceInDocumentOrder() {
        assertThat(messagesOf("""
                application: Shop_Cart
                repository: shop/cart
                stages:
                  - name: dev
                    suites: [{name: unit, kind: junit}]
                  - name: Prod
                colour: blue
                """)).containsExactly(
                "application: must match [a-z0-9][a-z0-9-]{0,62}, got 'Shop_Cart'",
                "repository: must be an OCI repository including its registry, <host>[:<port>]/<path> with a"
                        + " lower-case path (e.g. 127.0.0.1:15000/shop/cart), got 'shop/cart'",
                "stages[0].suites[0].kind: must be one of image-checks, http-smoke, external, got 'junit'",
                "stages[1].name: must match [a-z0-9][a-z0-9-]{0,30}, got 'Prod'",
                "colour: unknown field; allowed here: application, repository, stages, source, people, groups");
    }

    @Test
    void aLongBadValueIsCutToEightyCharacters() {
        String longName = "X".repeat(10_000);

        String message = messagesOf("application: " + longName + "\nrepository: localhost/x\n").get(0);

        assertThat(message).isEqualTo("application: must match [a-z0-9][a-z0-9-]{0,62}, got '" + "X".repeat(77) + "...'");
    }

    @Test
    void aLongUnknownFieldNameIsCutToo() {
        String field = "k".repeat(500);

        String message = messagesOf(MINIMAL + field + ": 1\n").get(0);

        assertThat(message).hasSizeLessThan(200).startsWith("['" + "k".repeat(77) + "...']: unknown field");
    }

    @Test
    void aMultiLineBadValueIsShownOnOneLine() {
        assertThat(messagesOf("application: \"shop\\ncart\"\nrepository: localhost/x\n"))
                .containsExactly("application: must match [a-z0-9][a-z0-9-]{0,62}, got 'shop\\ncart'");
    }

    @Test
    void theExceptionMessageListsEveryProblem() {
        InvalidPipelineDefinitionException e = new InvalidPipelineDefinitionException(
                java.util.List.of("application: is required", "repository: is required"));

        assertThat(e.getMessage()).isEqualTo(
                "invalid pipeline definition:\n  - application: is required\n  - repository: is required");
    }

    @Test
    void slackChannelThatIsNeitherAnIdNorAName() {
        assertThat(messagesOf(Definitions.MINIMAL + "stages:\n  - name: prod\n    slack: {channel: releases}\n"))
                .containsExactly("stages[0].slack.channel: must match (?:[CDG][A-Z0-9]{8,20}|#[a-z0-9][a-z0-9._-]{0,79}),"
                        + " got 'releases'");
    }
}
