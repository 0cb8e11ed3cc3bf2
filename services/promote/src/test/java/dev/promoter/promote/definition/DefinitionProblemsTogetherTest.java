package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.kit.outbound.OutboundUrls;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One answer lists every problem: the schema's and the rules across fields together; and the outbound allow-list
 * refuses health, smoke and deploy-hook URLs by their JSON path when a definition is saved.
 */
class DefinitionProblemsTogetherTest {

    private static final PipelineDefinitionParser SAVING = new PipelineDefinitionParser(
            OutboundUrls.allowing(List.of("127.0.0.0/8", "::1", "localhost")));

    private static List<String> messagesOf(PipelineDefinitionParser parser, String yaml) {
        try {
            parser.parse(yaml);
        } catch (InvalidPipelineDefinitionException e) {
            return e.messages();
        }
        throw new AssertionError("the definition was accepted");
    }

    @Test
    void schemaErrorsAndCrossFieldErrorsAreListedInOneAnswer() {
        assertThat(messagesOf(Definitions.PARSER, """
                application: cart
                repository: 127.0.0.1:15000/shop/cart
                colour: blue
                stages:
                  - name: dev
                    health: {url: "http://127.0.0.1:18080/health", interval: 1s, timeout: 2s}
                  - name: dev
                    suites: [{name: unit, kind: junit}]
                  - name: prod
                    gates: {approvals: {count: 1, from: [zed]}}
                """)).containsExactly(
                "colour: unknown field; allowed here: application, repository, stages, source, people, groups",
                "stages[1].suites[0].kind: must be one of image-checks, http-smoke, external, got 'junit'",
                "stages[0].health.timeout: must be shorter than interval (1s), got 2s",
                "stages[1].name: 'dev' is already the name of stages[0]; stage names must be unique, each is a"
                        + " registry tag",
                "stages[2].gates.approvals.from: 'zed' is not in people; add it there, or write a group as @name or"
                        + " an identity as slack:U… or api:<caller>");
    }

    @Test
    void aFieldTheSchemaRefusedIsNotJudgedAgainByTheOtherRules() {
        assertThat(messagesOf(Definitions.PARSER, """
                application: cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: dev
                    health: {url: "ftp://127.0.0.1/", interval: soon}
                """)).allSatisfy(message -> assertThat(message).doesNotContain("with a host name"))
                .anySatisfy(message -> assertThat(message).startsWith("stages[0].health.url: must be an absolute"))
                .anySatisfy(message -> assertThat(message).startsWith("stages[0].health.interval: must be a duration"));
    }

    @Test
    void aCloudMetadataHealthUrlIsRefusedNamingItsFieldAndTheRule() {
        assertThat(messagesOf(SAVING, """
                application: cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: dev
                    health: {url: "http://169.254.169.254/"}
                """)).containsExactly("stages[0].health.url: 'http://169.254.169.254/' is refused by the outbound"
                + " allow-list (pipeline.outbound.allowed): 169.254.169.254, a link-local or cloud metadata address"
                + " (169.254.0.0/16); refused unless the allow-list names it explicitly (allowed: 127.0.0.0/8, ::1,"
                + " localhost)");
    }

    @Test
    void smokeAndDeployHookUrlsOutsideTheAllowListAreRefusedToo() {
        assertThat(messagesOf(SAVING, """
                application: cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: dev
                    suites:
                      - name: smoke
                        kind: http-smoke
                        http: {url: "http://metadata.google.internal", path: /computeMetadata/v1/}
                    deployHook: {url: "https://deploy.example.com/hook"}
                  - name: prod
                    health: {url: "http://localhost:18080/health"}
                """)).containsExactly(
                "stages[0].suites[0].http.url: 'http://metadata.google.internal' is refused by the outbound"
                        + " allow-list (pipeline.outbound.allowed): host metadata.google.internal is a cloud metadata"
                        + " service; refused unless the allow-list names it exactly (allowed: 127.0.0.0/8, ::1,"
                        + " localhost)",
                "stages[0].deployHook.url: 'https://deploy.example.com/hook' is refused by the outbound allow-list"
                        + " (pipeline.outbound.allowed): host deploy.example.com is not in the allow-list of outbound"
                        + " hosts (allowed: 127.0.0.0/8, ::1, localhost)");
    }

    @Test
    void whatWasSavedStillReadsWithoutTheAllowList() {
        // A stored definition must read after the allow-list shrank; the probes check again when they send.
        String yaml = """
                application: cart
                repository: 127.0.0.1:15000/shop/cart
                stages:
                  - name: dev
                    health: {url: "http://10.0.0.5/health"}
                """;
        assertThat(Definitions.PARSER.parse(yaml).stages().get(0).health().url()).hasHost("10.0.0.5");
        assertThatThrownBy(() -> SAVING.parse(yaml)).isInstanceOf(InvalidPipelineDefinitionException.class);
    }
}
