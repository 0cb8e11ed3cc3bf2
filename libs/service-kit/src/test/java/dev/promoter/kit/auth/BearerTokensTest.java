package dev.promoter.kit.auth;

import dev.promoter.kit.problem.ProblemException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private final BearerTokens tokens = new BearerTokens(Map.of("jenkins", "s3cret-jenkins", "cli", "s3cret-cli", "unset", ""));

    @Test
    void namesTheCallerWhoseTokenMatches() {
        assertThat(tokens.caller("Bearer s3cret-jenkins")).contains("jenkins");
        assertThat(tokens.caller("bearer s3cret-cli")).contains("cli");
    }

    @Test
    void refusesMissingWrongOrMalformedCredentials() {
        assertThat(tokens.caller(null)).isEmpty();
        assertThat(tokens.caller("Bearer wrong")).isEmpty();
        assertThat(tokens.caller("Basic czNjcmV0LWNsaQ==")).isEmpty();
        assertThat(tokens.caller("Bearer ")).as("a blank configured token never matches an empty one").isEmpty();
        assertThat(tokens.caller("Bearer s3cret-cli-and-more")).isEmpty();
    }

    @Test
    void requireAnswers401WithoutEchoingTheToken() {
        assertThatThrownBy(() -> tokens.require("Bearer guess"))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).toProblem().status()).isEqualTo(401))
                .message().doesNotContain("guess");
    }
}
