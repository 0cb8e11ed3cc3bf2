package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.FULL_EXAMPLE;
import static dev.promoter.promote.definition.Definitions.MINIMAL;
import static dev.promoter.promote.definition.Definitions.PARSER;
import static dev.promoter.promote.definition.Definitions.withHealth;
import static dev.promoter.promote.definition.Definitions.withSuite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.contracts.DeployHookPolicy;
import dev.promoter.contracts.DriftPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineDefinitionParserTest {

    @Test
    void fullExampleIsReadFieldByField() {
        PipelineDefinition definition = PARSER.parse(FULL_EXAMPLE);

        assertThat(definition.application()).isEqualTo("shop-cart");
        assertThat(definition.repository()).isEqualTo("127.0.0.1:15000/shop/cart");
        assertThat(definition.stageNames()).containsExactly("dev", "prod");
        StageDefinition dev = definition.stages().get(0);
        assertThat(dev.suites()).containsExactly(new SuiteDefinition(
                "image-checks", "image-checks", List.of("org.opencontainers.image.revision"), true, 524_288_000L));
        assertThat(dev.health()).isEqualTo(new HealthCheckDefinition(
                URI.create("http://127.0.0.1:18080/stages/dev/health"),
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                3,
                1,
                Duration.ofSeconds(10)));
        assertThat(definition.stages().get(1)).isEqualTo(new StageDefinition("prod", List.of(), null, "C0RELEASES",
                new DeployHookPolicy(URI.create("https://deploy.example/hooks/prod"),
                        "prod-runtime"), DriftPolicy.RESTORE));
    }

    @Test
    void applicationAndRepositoryAloneGiveTheFourDefaultStages() {
        PipelineDefinition definition = PARSER.parse(MINIMAL);

        assertThat(definition.stageNames()).containsExactly("dev", "test", "stage", "prod");
        assertThat(definition.stages()).allSatisfy(stage -> {
            assertThat(stage.suites()).isEmpty();
            assertThat(stage.health()).isNull();
        });
    }

    @Test
    void suiteDefaultsAreFilledIn() {
        SuiteDefinition suite = PARSER.parse(withSuite("""
                name: image-checks
                kind: image-checks
                """)).firstStage().suites().get(0);

        assertThat(suite.requiredLabels()).containsExactly("org.opencontainers.image.revision");
        assertThat(suite.nonRoot()).isTrue();
        assertThat(suite.maxSizeBytes()).isEqualTo(500L * 1024 * 1024);
    }

    @Test
    void explicitSuiteValuesOverrideTheDefaults() {
        SuiteDefinition suite = PARSER.parse(withSuite("""
                name: labels-only
                kind: image-checks
                requiredLabels: [org.opencontainers.image.source, com.example.team]
                nonRoot: false
                maxSizeBytes: 1024
                """)).firstStage().suites().get(0);

        assertThat(suite.requiredLabels()).containsExactly("org.opencontainers.image.source", "com.example.team");
        assertThat(suite.nonRoot()).isFalse();
        assertThat(suite.maxSizeBytes()).isEqualTo(1024);
    }

    @Test
    void anEmptyLabelListRequiresNoLabels() {
        SuiteDefinition suite = PARSER.parse(withSuite("""
                name: image-checks
                kind: image-checks
                requiredLabels: []
                """)).firstStage().suites().get(0);

        assertThat(suite.requiredLabels()).isEmpty();
    }

    @Test
    void healthDefaultsAreFilledIn() {
        HealthCheckDefinition health = PARSER.parse(withHealth("url: https://cart.example.com/health"))
                .firstStage().health();

        assertThat(health.url()).isEqualTo(URI.create("https://cart.example.com/health"));
        assertThat(health.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(health.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(health.failureThreshold()).isEqualTo(3);
        assertThat(health.successThreshold()).isEqualTo(1);
        assertThat(health.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void durationsAreReadInMillisecondsSecondsAndMinutes() {
        HealthCheckDefinition health = PARSER.parse(withHealth("""
                url: http://127.0.0.1:18080/health
                interval: 2m
                timeout: 1500ms
                gracePeriod: 0s
                """)).firstStage().health();

        assertThat(health.interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(health.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(health.gracePeriod()).isZero();
    }

    @Test
    void stagesWithoutSuitesOrHealthAreAllowed() {
        PipelineDefinition definition = PARSER.parse(MINIMAL + """
                stages:
                  - name: qa
                    suites: []
                  - name: live
                """);

        assertThat(definition.stages()).containsExactly(
                new StageDefinition("qa", List.of(), null),
                new StageDefinition("live", List.of(), null));
    }

    @Test
    void theSameSuiteNameMayBeUsedInDifferentStages() {
        PipelineDefinition definition = PARSER.parse(MINIMAL + """
                stages:
                  - name: dev
                    suites: [{name: image-checks, kind: image-checks}]
                  - name: prod
                    suites: [{name: image-checks, kind: image-checks}]
                """);

        assertThat(definition.stages()).allSatisfy(stage -> assertThat(stage.suites()).hasSize(1));
    }

    @Test
    void repositoryNeedNotEndInTheApplicationName() {
        PipelineDefinition definition = PARSER.parse("""
                application: shop-cart
                repository: registry.example.com:5000/team-a/cart-service
                """);

        assertThat(definition.repository()).isEqualTo("registry.example.com:5000/team-a/cart-service");
    }

    @Test
    void repositoryMayNameItsRegistryByHostNameWithoutPort() {
        assertThat(PARSER.parse("application: cart\nrepository: ghcr.io/acme/cart\n").repository())
                .isEqualTo("ghcr.io/acme/cart");
        assertThat(PARSER.parse("application: cart\nrepository: localhost/cart\n").repository())
                .isEqualTo("localhost/cart");
    }

    @Test
    void singleCharacterAndLongestNamesAreAccepted() {
        String application = "a" + "b".repeat(62);
        String stage = "s" + "t".repeat(30);

        PipelineDefinition definition = PARSER.parse("application: " + application
                + "\nrepository: localhost:5000/x\nstages: [{name: " + stage + "}, {name: '0'}]\n");

        assertThat(definition.application()).hasSize(63);
        assertThat(definition.stageNames()).containsExactly(stage, "0");
    }

    @Test
    void aJsonBodyIsReadAsYaml() {
        PipelineDefinition definition = PARSER.parse("""
                {"application": "shop-cart", "repository": "127.0.0.1:15000/shop/cart",
                 "stages": [{"name": "dev"}, {"name": "prod"}]}
                """);

        assertThat(definition.stageNames()).containsExactly("dev", "prod");
    }

    @Test
    void bytesAndTextGiveTheSameDefinition() {
        assertThat(PARSER.parse(FULL_EXAMPLE.getBytes(StandardCharsets.UTF_8))).isEqualTo(PARSER.parse(FULL_EXAMPLE));
    }

    @Test
    void aLeadingDocumentMarkerAndCommentsAreFine() {
        assertThat(PARSER.parse("# the cart\n---\n" + MINIMAL).application()).isEqualTo("shop-cart");
    }

    @Test
    void theSampleDefinitionParses() {
        PipelineDefinition definition = PARSER.parse(Definitions.resource("definitions/shop-cart.yaml"));

        assertThat(definition.application()).isEqualTo("shop-cart");
        assertThat(definition.stageNames()).containsExactly("dev", "test", "stage", "prod");
        assertThat(definition.stage("prod").orElseThrow().health().gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaultDefinitionHasDevTestStageProdWithoutSuitesOrHealth() {
        PipelineDefinition definition = PARSER.defaultDefinition("shop-cart", "127.0.0.1:15000/shop/cart");

        assertThat(definition).isEqualTo(PARSER.parse(MINIMAL));
        assertThat(definition.stageNames()).containsExactly("dev", "test", "stage", "prod");
    }

    @Test
    void defaultDefinitionRefusesABadApplicationWithTheSameWords() {
        assertThatThrownBy(() -> PARSER.defaultDefinition("Shop_Cart", "127.0.0.1:15000/shop/cart"))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> assertThat(e.messages())
                        .containsExactly("application: must match [a-z0-9][a-z0-9-]{0,62}, got 'Shop_Cart'"));
    }

    @Test
    void defaultDefinitionRefusesAMissingRepository() {
        assertThatThrownBy(() -> PARSER.defaultDefinition("shop-cart", null))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> assertThat(e.messages())
                        .singleElement().asString().startsWith("repository: must be an OCI repository"));
    }

    @Test
    void parsedListsCannotBeChanged() {
        PipelineDefinition definition = PARSER.parse(FULL_EXAMPLE);

        assertThatThrownBy(() -> definition.stages().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> definition.firstStage().suites().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> definition.firstStage().suites().get(0).requiredLabels().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
