package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordingTest {

    @Test
    void pathsReadLikeTheDocument() {
        assertThat(Wording.field(Wording.index(Wording.field("", "stages"), 1), "health")).isEqualTo("stages[1].health");
    }

    @Test
    void oddKeysAreQuotedInBrackets() {
        assertThat(Wording.field("stages[0]", "my key")).isEqualTo("stages[0]['my key']");
    }

    @Test
    void quotedValuesNeverExceedEightyCharactersInsideTheQuotes() {
        String quoted = Wording.quote("z".repeat(1_000));

        assertThat(quoted).hasSize(82).endsWith("...'");
    }

    @Test
    void escapingCountsTowardsTheLimit() {
        String quoted = Wording.quote("\n".repeat(60));

        assertThat(quoted.length() - 2).isLessThanOrEqualTo(Wording.MAX_ECHO);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String quoted = Wording.quote("a".repeat(76) + "😀".repeat(10));

        assertThat(quoted).doesNotContain("\uD83D.").endsWith("...'");
    }
}
