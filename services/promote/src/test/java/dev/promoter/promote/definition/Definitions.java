package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Shared inputs and helpers for the pipeline definition tests. */
final class Definitions {

    /** One parser for all tests, as the service keeps one: it is immutable and thread-safe. */
    static final PipelineDefinitionParser PARSER = new PipelineDefinitionParser();

    /** The task's full example, every field written out. */
    static final String FULL_EXAMPLE = """
            application: shop-cart                      # [a-z0-9][a-z0-9-]{0,62}
            repository: 127.0.0.1:15000/shop/cart
            stages:
              - name: dev
                suites:
                  - name: image-checks
                    kind: image-checks
                    requiredLabels: [org.opencontainers.image.revision]
                    nonRoot: true
                    maxSizeBytes: 524288000
                health:
                  url: http://127.0.0.1:18080/stages/dev/health
                  interval: 1s
                  timeout: 500ms
                  failureThreshold: 3
                  successThreshold: 1
                  gracePeriod: 10s
              - name: prod
                slack:
                  channel: C0RELEASES                   # an id (chat.update needs one) or #name
                deployHook:                             # told after every move of the prod tag
                  url: https://deploy.example/hooks/prod
                  secret: prod-runtime                  # a name in the rollback service's config
                drift: restore                          # a tag moved by hand is put back
            """;

    static final String MINIMAL = """
            application: shop-cart
            repository: 127.0.0.1:15000/shop/cart
            """;

    private Definitions() {
    }

    /** A minimal definition with one stage "dev" whose health block is the given lines. */
    static String withHealth(String healthLines) {
        return MINIMAL + "stages:\n  - name: dev\n    health:\n" + indent(healthLines, 6);
    }

    /** A minimal definition with one stage "dev" whose only suite is the given lines. */
    static String withSuite(String suiteLines) {
        return MINIMAL + "stages:\n  - name: dev\n    suites:\n      - " + indent(suiteLines, 8).substring(8);
    }

    /** The messages the parser refuses the input with; fails the test when it is accepted. */
    static List<String> messagesOf(String yaml) {
        return messagesOf(yaml.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> messagesOf(byte[] yaml) {
        InvalidPipelineDefinitionException[] caught = new InvalidPipelineDefinitionException[1];
        assertThatThrownBy(() -> PARSER.parse(yaml))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> caught[0] = e);
        return caught[0].messages();
    }

    static String resource(String name) {
        try (InputStream in = Definitions.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(String lines, int spaces) {
        return lines.stripIndent().indent(spaces);
    }
}
