package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.FULL_EXAMPLE;
import static dev.promoter.promote.definition.Definitions.MINIMAL;
import static dev.promoter.promote.definition.Definitions.PARSER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code toYaml}: what the service hands back for a stored definition, and reads back unchanged. */
class PipelineDefinitionYamlTest {

    @Test
    void fullExampleRoundTrips() {
        PipelineDefinition definition = PARSER.parse(FULL_EXAMPLE);

        assertThat(PARSER.parse(PARSER.toYaml(definition))).isEqualTo(definition);
    }

    @Test
    void theSlackChannelIsKeptPerStage() {
        PipelineDefinition definition = PARSER.parse(FULL_EXAMPLE);

        assertThat(definition.stage("prod").orElseThrow().slackChannel()).isEqualTo("C0RELEASES");
        assertThat(definition.stage("dev").orElseThrow().slackChannel()).isNull();
    }

    @Test
    void theDeployHookAndDriftPolicyAreKeptPerStage() {
        PipelineDefinition definition = PARSER.parse(FULL_EXAMPLE);

        StageDefinition prod = definition.stage("prod").orElseThrow();
        assertThat(prod.deployHook()).isEqualTo(new dev.promoter.contracts.DeployHookPolicy(
                java.net.URI.create("https://deploy.example/hooks/prod"), "prod-runtime"));
        assertThat(prod.drift()).isEqualTo(dev.promoter.contracts.DriftPolicy.RESTORE);
        assertThat(definition.stage("dev").orElseThrow().deployHook()).isNull();
        assertThat(definition.stage("dev").orElseThrow().drift()).isEqualTo(dev.promoter.contracts.DriftPolicy.REPORT);
    }

    @Test
    void defaultDefinitionRoundTrips() {
        PipelineDefinition definition = PARSER.defaultDefinition("shop-cart", "127.0.0.1:15000/shop/cart");

        assertThat(PARSER.parse(PARSER.toYaml(definition))).isEqualTo(definition);
    }

    @Test
    void theSampleRoundTrips() {
        PipelineDefinition definition = PARSER.parse(Definitions.resource("definitions/shop-cart.yaml"));

        assertThat(PARSER.parse(PARSER.toYaml(definition))).isEqualTo(definition);
    }

    @Test
    void defaultsAreWrittenOut() {
        String yaml = PARSER.toYaml(PARSER.parse(MINIMAL + """
                stages:
                  - name: dev
                    suites: [{name: image-checks, kind: image-checks}]
                    health: {url: 'http://127.0.0.1:18080/health'}
                """));

        assertThat(yaml).isEqualTo("""
                application: shop-cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: dev
                    suites:
                      - name: image-checks
                        kind: image-checks
                        requiredLabels:
                          - org.opencontainers.image.revision
                        nonRoot: true
                        maxSizeBytes: 524288000
                        retries: 0
                        allowedPlatforms: []
                        baseImageDigests: []
                    health:
                      url: http://127.0.0.1:18080/health
                      interval: 5s
                      timeout: 2s
                      failureThreshold: 3
                      successThreshold: 1
                      gracePeriod: 30s
                    drift: report
                """);
    }

    @Test
    void durationsAreWrittenInTheirShortestExactUnit() {
        HealthCheckDefinition health = new HealthCheckDefinition(URI.create("https://cart.example.com/health"),
                Duration.ofSeconds(120), Duration.ofMillis(1500), 2, 2, Duration.ZERO);
        PipelineDefinition definition = new PipelineDefinition("cart", "localhost/cart",
                List.of(new StageDefinition("prod", List.of(), health)));

        String yaml = PARSER.toYaml(definition);

        assertThat(yaml).contains("interval: 2m\n", "timeout: 1500ms\n", "gracePeriod: 0s\n");
        assertThat(PARSER.parse(yaml)).isEqualTo(definition);
    }

    @Test
    void labelsThatLookLikeNumbersOrBooleansStayText() {
        SuiteDefinition suite = new SuiteDefinition("c", SuiteDefinition.KIND_IMAGE_CHECKS,
                List.of("123", "true", "null", "no", "1.5", "a:b", "#x", "~"), false, 7);
        PipelineDefinition definition = new PipelineDefinition("cart", "localhost/cart",
                List.of(new StageDefinition("dev", List.of(suite), null)));

        assertThat(PARSER.parse(PARSER.toYaml(definition))).isEqualTo(definition);
    }

    @Test
    void aStageWithoutHealthHasNoHealthBlock() {
        String yaml = PARSER.toYaml(PARSER.parse(MINIMAL));

        assertThat(yaml).doesNotContain("health").contains("  - name: prod\n    suites: []\n");
    }
}
