package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.PARSER;
import static dev.promoter.promote.definition.Definitions.messagesOf;
import static dev.promoter.promote.definition.Definitions.withSuite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.contracts.ExternalSuitePolicy;
import dev.promoter.contracts.HttpSmokePolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite kinds of issue 6 in a pipeline definition: http-smoke, external, retries and the image-checks extras. */
class SuiteKindsTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void httpSmokeSuiteIsReadWithItsDefaults() {
        SuiteDefinition suite = PARSER.parse(withSuite("""
                name: cart-api
                kind: http-smoke
                retries: 2
                http:
                  url: http://127.0.0.1:18080
                  path: /api/cart
                """)).firstStage().suites().get(0);

        assertThat(suite.retries()).isEqualTo(2);
        assertThat(suite.http()).isEqualTo(new HttpSmokePolicy(URI.create("http://127.0.0.1:18080"), "GET",
                "/api/cart", Map.of(), 200, null, Map.of(), Duration.ofSeconds(5), 5, Duration.ofSeconds(1), null));
        assertThat(suite.external()).isNull();
    }

    @Test
    void everyFieldOfEveryKindSurvivesWritingAndReadingBack() {
        PipelineDefinition definition = PARSER.parse(Definitions.MINIMAL + """
                stages:
                  - name: test
                    suites:
                      - name: image
                        kind: image-checks
                        allowedPlatforms: [linux/amd64, linux/arm64/v8]
                        baseImageDigests: [%s]
                      - name: cart-api
                        kind: http-smoke
                        http:
                          url: http://127.0.0.1:18080
                          method: POST
                          path: /api/cart?dry=1
                          headers: {Accept: application/json}
                          expectedStatus: 201
                          expectedBody: created
                          expectedJson: {/status: ok}
                          timeout: 1500ms
                          tries: 3
                          backoff: 200ms
                          digestPath: /stages/test/digest
                      - name: jenkins-it
                        kind: external
                        retries: 1
                        external: {source: junit, deadline: 30m}
                """.formatted(DIGEST));

        List<SuiteDefinition> suites = definition.firstStage().suites();
        assertThat(suites.get(0).allowedPlatforms()).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(suites.get(0).baseImageDigests()).containsExactly(DIGEST);
        assertThat(suites.get(1).http().headers()).containsEntry("Accept", "application/json");
        assertThat(suites.get(1).http().expectedJson()).containsEntry("/status", "ok");
        assertThat(suites.get(2).external()).isEqualTo(new ExternalSuitePolicy("junit", Duration.ofMinutes(30)));
        assertThat(PARSER.parse(PARSER.toYaml(definition))).isEqualTo(definition);
    }

    @Test
    void httpSmokeWithoutARequestSaysWhatToGive() {
        assertThat(messagesOf(withSuite("name: smoke\nkind: http-smoke\n")))
                .containsExactly("stages[0].suites[0].http: is required for kind http-smoke: give at least url and path"
                        + " of the request to send to the stage");
    }

    @Test
    void externalWithoutSourceAndDeadlineSaysWhatToGive() {
        assertThat(messagesOf(withSuite("name: jenkins\nkind: external\n")))
                .containsExactly("stages[0].suites[0].external: is required for kind external: give source"
                        + " (junit or cdevents) and deadline");
    }

    @Test
    void aRequestOnAnotherKindIsRefused() {
        assertThat(messagesOf(withSuite("name: image\nkind: image-checks\nexternal: {source: junit, deadline: 1m}\n")))
                .containsExactly("stages[0].suites[0].external: belongs to kind external only; remove it or set kind:"
                        + " external");
    }

    @Test
    void anUnknownKindIsRefusedInTheDefinition() {
        assertThat(messagesOf(withSuite("name: load\nkind: load-test\n"))).hasSize(1);
    }
}
