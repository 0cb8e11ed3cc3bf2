package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    private static final String HEX = "0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427";

    @Test
    void parsesSha256WithLowercaseHex() {
        Digest digest = Digest.parse("sha256:" + HEX);

        assertThat(digest.hex()).isEqualTo(HEX);
        assertThat(digest.shortForm()).isEqualTo("0b31b1c02ff4");
        assertThat(digest).hasToString("sha256:" + HEX);
        assertThat(digest).isEqualTo(new Digest("sha256:" + HEX));
    }

    @Test
    void rejectsUppercaseHexAndSaysWhichCharactersAreAllowed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Digest.parse("sha256:" + HEX.toUpperCase()))
                .withMessage("digest must be 'sha256:' followed by 64 lowercase hex characters"
                        + " (the hex part may only use 0-9 and a-f), got 'sha256:" + HEX.toUpperCase() + "'");
    }

    @Test
    void rejects63HexCharactersAndSaysHowManyThereWere() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Digest.parse("sha256:" + HEX.substring(1)))
                .withMessage("digest must be 'sha256:' followed by 64 lowercase hex characters"
                        + " (the hex part has 63), got 'sha256:" + HEX.substring(1) + "'");
    }

    @Test
    void rejectsShortDigestWithTheExampleMessage() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Digest.parse("sha256:abc"))
                .withMessageStartingWith("digest must be 'sha256:' followed by 64 lowercase hex characters")
                .withMessageEndingWith("got 'sha256:abc'");
    }

    @ParameterizedTest
    @ValueSource(strings = {HEX, "sha512:" + HEX, "SHA256:" + HEX, " sha256:" + HEX, ""})
    void rejectsAMissingOrWrongPrefix(String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Digest.parse(value))
                .withMessage("digest must be 'sha256:' followed by 64 lowercase hex characters, got '" + value + "'");
    }

    @Test
    void rejectsNull() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Digest.parse(null))
                .withMessage("digest must be 'sha256:' followed by 64 lowercase hex characters, got null");
    }

    @Test
    void rejectsTrailingCharacters() {
        assertThatIllegalArgumentException().isThrownBy(() -> Digest.parse("sha256:" + HEX + "\n"));
    }

    @Test
    void echoesAtMost80CharactersOfLongInput() {
        String huge = "sha256:" + "f".repeat(10_000);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> Digest.parse(huge))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(250)
                        .endsWith("...' (10007 characters)"));
    }
}
