package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.MINIMAL;
import static dev.promoter.promote.definition.Definitions.PARSER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.contracts.PipelineSource;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional {@code source} of a pipeline definition: where the application's builds come from. */
class PipelineSourceTest {

    private static final String WITH_SOURCE = MINIMAL + """
            source:
              github: acme/shop-cart
              gitlab: acme/shop/cart
              branches: [main, release-1]
              builder:
                jenkins:
                  url: https://ci.example/
                  job: shop-cart/main
                  credentials: ci
            """;

    @Test
    void sourceIsReadFieldByField() {
        PipelineDefinition definition = PARSER.parse(WITH_SOURCE);

        assertThat(definition.source()).isEqualTo(new PipelineSource("acme/shop-cart", "acme/shop/cart",
                List.of("main", "release-1"), new PipelineSource.JenkinsBuilder(URI.create("https://ci.example/"),
                        "shop-cart/main", "ci")));
    }

    @Test
    void aDefinitionWithoutSourceHasNone() {
        assertThat(PARSER.parse(MINIMAL).source()).isNull();
    }

    @Test
    void branchesDefaultToMainAndTheBuilderIsOptional() {
        PipelineDefinition definition = PARSER.parse(MINIMAL + "source:\n  github: acme/cart\n");

        assertThat(definition.source()).isEqualTo(new PipelineSource("acme/cart", null, List.of("main"), null));
    }

    @Test
    void sourceRoundTripsThroughYaml() {
        PipelineDefinition definition = PARSER.parse(WITH_SOURCE);

        assertThat(PARSER.parse(PARSER.toYaml(definition))).isEqualTo(definition);
    }

    @Test
    void aSecretInTheDefinitionIsRefused() {
        assertThatThrownBy(() -> PARSER.parse(MINIMAL + """
                source:
                  builder:
                    jenkins: {url: "https://ci.example/", job: cart, credentials: ci, apiToken: s3cret}
                """))
                .isInstanceOf(InvalidPipelineDefinitionException.class)
                .hasMessageContaining("source.builder.jenkins")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aMalformedRepositoryOrJobIsRefused() {
        assertThatThrownBy(() -> PARSER.parse(MINIMAL + """
                source:
                  github: "not a repo"
                  builder:
                    jenkins: {url: "ftp://ci.example/", job: "/x", credentials: ci}
                """))
                .isInstanceOf(InvalidPipelineDefinitionException.class)
                .satisfies(e -> assertThat(((InvalidPipelineDefinitionException) e).messages())
                        .anySatisfy(m -> assertThat(m).contains("source.github"))
                        .anySatisfy(m -> assertThat(m).contains("source.builder.jenkins.job")));
    }
}
