package dev.promoter.promote.definition;

import static dev.promoter.promote.definition.Definitions.PARSER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineDefinitionFolderTest {

    private final PipelineDefinitionFolder folder = new PipelineDefinitionFolder(PARSER);

    @TempDir
    Path dir;

    @Test
    void loadsEveryYamlAndYmlFileInNameOrder() throws IOException {
        Files.writeString(dir.resolve("shop-cart.yaml"), Definitions.resource("definitions/shop-cart.yaml"));
        Files.writeString(dir.resolve("billing.yml"), "application: billing\nrepository: localhost:5000/billing\n");

        assertThat(folder.load(dir)).extracting(PipelineDefinition::application).containsExactly("billing", "shop-cart");
    }

    @Test
    void skipsOtherFilesHiddenFilesAndSubfolders() throws IOException {
        Files.writeString(dir.resolve("cart.yaml"), "application: cart\nrepository: localhost/cart\n");
        Files.writeString(dir.resolve("README.md"), "# not a definition");
        Files.writeString(dir.resolve("cart.yaml.bak"), "not: yaml: at all");
        Files.writeString(dir.resolve(".cart.yaml.swp"), "not: yaml: at all");
        Files.createDirectory(dir.resolve("nested.yaml"));
        Files.writeString(dir.resolve("nested.yaml").resolve("other.yaml"), "application: other\nrepository: localhost/o\n");

        assertThat(folder.load(dir)).extracting(PipelineDefinition::application).containsExactly("cart");
    }

    @Test
    void anEmptyFolderHoldsNoDefinitions() {
        assertThat(folder.load(dir)).isEmpty();
    }

    @Test
    void aBadFileFailsTheLoadNamingTheFileAndTheProblem() throws IOException {
        Files.writeString(dir.resolve("good.yaml"), "application: good\nrepository: localhost/good\n");
        Files.writeString(dir.resolve("bad.yaml"), "application: Bad_App\nrepository: localhost/bad\n");

        assertThatThrownBy(() -> folder.load(dir))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> {
                    assertThat(e.messages()).containsExactly(
                            "bad.yaml: application: must match [a-z0-9][a-z0-9-]{0,62}, got 'Bad_App'");
                    assertThat(e.getMessage()).startsWith("invalid pipeline definitions in " + dir + ":")
                            .contains("bad.yaml: application:")
                            .doesNotContain("good.yaml");
                });
    }

    @Test
    void everyBadFileIsReportedInOneFailure() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "application: a\n");
        Files.writeString(dir.resolve("b.yml"), "application: b\nrepository: localhost/b\nrepository: localhost/c\n");

        assertThatThrownBy(() -> folder.load(dir))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> assertThat(e.messages())
                        .containsExactly(
                                "a.yaml: repository: is required",
                                "b.yml: repository: appears twice in the same mapping (line 3); keep one"));
    }

    @Test
    void twoFilesForOneApplicationAreAnError() throws IOException {
        Files.writeString(dir.resolve("cart.yaml"), "application: cart\nrepository: localhost/cart\n");
        Files.writeString(dir.resolve("cart-copy.yaml"), "application: cart\nrepository: localhost/cart2\n");

        assertThatThrownBy(() -> folder.load(dir))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> assertThat(e.messages())
                        .containsExactly("cart.yaml: application cart is already defined by cart-copy.yaml;"
                                + " keep one file per application"));
    }

    @Test
    void anOversizedFileIsRefusedBySize() throws IOException {
        Files.write(dir.resolve("huge.yaml"), new byte[PipelineDefinitionParser.MAX_BYTES + 1]);

        assertThatThrownBy(() -> folder.load(dir))
                .isInstanceOfSatisfying(InvalidPipelineDefinitionException.class, e -> assertThat(e.messages())
                        .containsExactly("huge.yaml: (document): is 262145 bytes, more than the 262144 bytes (256 KiB)"
                                + " a pipeline definition may take"));
    }

    @Test
    void aMissingFolderFailsLoudly() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> folder.load(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }
}
