package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void theTokenSpecsExampleKeepsTheCommaInsideTheScope() {
        List<Challenge> challenges = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"");

        assertThat(challenges).containsExactly(new Challenge("Bearer", Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:samalba/my-app:pull,push")));
    }

    @Test
    void severalChallengesInOneHeaderAreSeparated() {
        List<Challenge> challenges = Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://a/t\", "
                + "error=\"insufficient_scope\"");

        assertThat(challenges).extracting(Challenge::scheme).containsExactly("Basic", "Bearer");
        assertThat(challenges.get(1).param("error")).contains("insufficient_scope");
        assertThat(challenges.get(1).param("REALM")).contains("https://a/t");
    }

    @Test
    void unquotedValuesAndEscapesAreRead() {
        List<Challenge> challenges = Challenge.parse("bearer realm=https://a/t, service=\"say \\\"hi\\\"\"");

        assertThat(challenges).singleElement().satisfies(c -> {
            assertThat(c.is("Bearer")).isTrue();
            assertThat(c.param("realm")).contains("https://a/t");
            assertThat(c.param("service")).contains("say \"hi\"");
        });
    }
}
