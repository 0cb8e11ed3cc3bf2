package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.MINIMAL;
import static dev.promoter.promote.definition.Definitions.PARSER;
import static dev.promoter.promote.definition.Definitions.messagesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** YAML that is refused before any schema looks at it: too big, ambiguous, or built to hurt the reader. */
class UnsafeYamlTest {

    @Test
    void inputOverTwoHundredFiftySixKibibytesIsRefusedUnread() {
        byte[] big = (MINIMAL + "#" + "x".repeat(PipelineDefinitionParser.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);

        assertThat(messagesOf(big)).containsExactly("(document): is " + big.length
                + " bytes, more than the 262144 bytes (256 KiB) a pipeline definition may take");
    }

    @Test
    void textIsMeasuredInUtf8Bytes() {
        // 100 000 characters but 300 000 bytes: the limit is about what arrives, not what Java counts.
        String text = MINIMAL + "# " + "€".repeat(100_000);

        assertThat(messagesOf(text)).singleElement().asString().contains("more than the 262144 bytes");
    }

    @Test
    void inputOfExactlyTheLimitIsRead() {
        String padded = MINIMAL + "#" + "x".repeat(PipelineDefinitionParser.MAX_BYTES - MINIMAL.length() - 1);

        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(PipelineDefinitionParser.MAX_BYTES);
        assertThat(PARSER.parse(padded).application()).isEqualTo("shop-cart");
    }

    @Test
    void twoDocumentsInOneInput() {
        assertThat(messagesOf(MINIMAL + "---\napplication: other\nrepository: localhost/other\n"))
                .containsExactly("(document): holds more than one YAML document (a second '---', line 4);"
                        + " put one pipeline definition per input");
    }

    @Test
    void aTrailingEmptyDocumentCountsAsASecondOne() {
        assertThat(messagesOf(MINIMAL + "---\n")).singleElement().asString()
                .startsWith("(document): holds more than one YAML document");
    }

    @Test
    void duplicateTopLevelKey() {
        assertThat(messagesOf(MINIMAL + "application: other\n"))
                .containsExactly("application: appears twice in the same mapping (line 3); keep one");
    }

    @Test
    void duplicateNestedKey() {
        assertThat(messagesOf(MINIMAL + """
                stages:
                  - name: dev
                    health:
                      url: http://127.0.0.1:1/health
                      interval: 1s
                      interval: 2s
                """)).containsExactly("stages[0].health.interval: appears twice in the same mapping (line 8); keep one");
    }

    @Test
    void duplicateKeyInFlowMapping() {
        assertThat(messagesOf(MINIMAL + "stages: [{name: dev, name: prod}]\n"))
                .containsExactly("stages[0].name: appears twice in the same mapping (line 3); keep one");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void billionLaughsIsRefusedAtTheFirstAnchor() {
        String bomb = """
                application: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                repository: *i
                """;

        assertThat(messagesOf(bomb)).containsExactly("application: defines the YAML anchor &a (line 1);"
                + " anchors and aliases are not allowed, write the value out");
    }

    @Test
    void anchorOnAScalarIsRefused() {
        assertThat(messagesOf("application: &name shop-cart\nrepository: localhost/x\n")).containsExactly(
                "application: defines the YAML anchor &name (line 1); anchors and aliases are not allowed,"
                        + " write the value out");
    }

    @Test
    void aliasIsRefusedRatherThanReadAsText() {
        // Without the check Jackson would hand over the alias's name, "x", as if it were the value.
        assertThat(messagesOf("application: *x\nrepository: localhost/x\n")).containsExactly(
                "application: uses the YAML alias *x (line 1); anchors and aliases are not allowed, write the value out");
    }

    @Test
    void mergeKeysAreRefusedWithTheirAlias() {
        assertThat(messagesOf(MINIMAL + """
                stages:
                  - &base {name: dev}
                  - <<: *base
                    name: prod
                """)).singleElement().asString().startsWith("stages[0]: defines the YAML anchor &base");
    }

    @Test
    void explicitTypeTagsAreRefused() {
        assertThat(messagesOf("application: !!javax.script.ScriptEngineManager [x]\nrepository: localhost/x\n"))
                .containsExactly("application: carries the YAML tag !!javax.script.ScriptEngineManager (line 1);"
                        + " tags are not allowed, write the plain value");
    }

    @Test
    void standardTagsAreRefusedToo() {
        assertThat(messagesOf("application: !!str shop-cart\nrepository: localhost/x\n")).singleElement().asString()
                .startsWith("application: carries the YAML tag !!str");
    }

    @Test
    void localTagsAreRefused() {
        assertThat(messagesOf(MINIMAL + "stages: [{name: !stage dev}]\n")).containsExactly(
                "stages[0].name: carries the YAML tag !stage (line 3); tags are not allowed, write the plain value");
    }

    @Test
    void anchorOnAKeyIsRefused() {
        assertThat(messagesOf("&k application: shop-cart\nrepository: localhost/x\n")).singleElement().asString()
                .startsWith("application: defines the YAML anchor &k (line 1)");
    }

    @Test
    void anchorInsideAListNamesTheEntry() {
        assertThat(messagesOf(MINIMAL + "stages:\n  - name: dev\n  - name: &p prod\n")).singleElement().asString()
                .startsWith("stages[1].name: defines the YAML anchor &p (line 5)");
    }

    @Test
    void binaryValuesAreRefused() {
        assertThat(messagesOf("application: !!binary aGVsbG8=\nrepository: localhost/x\n")).singleElement().asString()
                .startsWith("application: carries the YAML tag");
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "application: " + "[".repeat(5_000) + "]".repeat(5_000) + "\nrepository: localhost/x\n";

        assertThat(messagesOf(deep)).singleElement().asString().startsWith("application");
    }

    @Test
    void nestingJustPastTheLimitNamesTheLevel() {
        String deep = "application: " + "[".repeat(YamlTreeReader.MAX_DEPTH) + "]".repeat(YamlTreeReader.MAX_DEPTH);

        assertThat(messagesOf(deep)).singleElement().asString()
                .contains("is nested deeper than " + YamlTreeReader.MAX_DEPTH + " levels");
    }

    @Test
    void emptyInput() {
        assertThat(messagesOf("")).containsExactly("(document): is empty; write at least application and repository");
    }

    @Test
    void commentsOnly() {
        assertThat(messagesOf("# nothing here yet\n"))
                .containsExactly("(document): is empty; write at least application and repository");
    }

    @Test
    void syntaxErrorNamesTheLineAndColumn() {
        assertThat(messagesOf("application: shop-cart\nrepository: a: b\n")).containsExactly(
                "(document): is not valid YAML: line 2, column 14: mapping values are not allowed here");
    }

    @Test
    void tabIndentationIsExplained() {
        assertThat(messagesOf("application: shop-cart\nstages:\n\t- name: dev\n")).singleElement().asString()
                .startsWith("(document): is not valid YAML: line 3, column 1: found character '\\t(TAB)'");
    }

    @Test
    void syntaxErrorsDoNotEchoLongLines() {
        String line = "repository: \"" + "y".repeat(5_000);

        assertThat(messagesOf("application: shop-cart\n" + line + "\n")).singleElement().asString()
                .hasSizeLessThan(300)
                .doesNotContain("y".repeat(81));
    }

    @Test
    void malformedUtf8IsRefused() {
        byte[] bytes = {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'};

        assertThat(messagesOf(bytes)).containsExactly(
                "(document): is not UTF-8 text (nor UTF-16 with a byte order mark); save it as UTF-8");
    }

    @Test
    void utf16WithAByteOrderMarkIsRead() {
        byte[] utf16 = ("\uFEFF" + MINIMAL).getBytes(StandardCharsets.UTF_16BE);

        assertThat(PARSER.parse(utf16).application()).isEqualTo("shop-cart");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() {
        byte[] utf8 = ("\uFEFF" + MINIMAL).getBytes(StandardCharsets.UTF_8);

        assertThat(PARSER.parse(utf8).application()).isEqualTo("shop-cart");
    }

    @Test
    void aListAsKeyIsRefused() {
        assertThat(messagesOf(MINIMAL + "? [a, b]\n: 1\n")).containsExactly(
                "(document): uses a list or mapping as a key (line 3); keys must be plain names");
    }

    @Test
    void anAliasAsKeyIsRefusedAsAnAlias() {
        assertThat(messagesOf(MINIMAL + "*k : 1\n")).singleElement().asString()
                .startsWith("(document): uses the YAML alias *k (line 3)");
    }
}
