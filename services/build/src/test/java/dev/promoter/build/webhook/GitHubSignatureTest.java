package dev.promoter.build.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.kit.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GitHubSignatureTest {

    private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    /** GitHub's own test vector (docs: validating webhook deliveries). */
    private static final String VECTOR = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void signsAsGitHubDoes() {
        assertThat(GitHubSignature.sign(SECRET, BODY)).isEqualTo(VECTOR);
    }

    @Test
    void verifiesGitHubsTestVector() {
        assertThat(GitHubSignature.verify(SECRET, BODY, VECTOR)).isTrue();
    }

    @Test
    void refusesAnyOtherBodySecretOrHeader() {
        assertThat(GitHubSignature.verify(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), VECTOR)).isFalse();
        assertThat(GitHubSignature.verify("other".getBytes(StandardCharsets.UTF_8), BODY, VECTOR)).isFalse();
        assertThat(GitHubSignature.verify(SECRET, BODY, VECTOR.toUpperCase())).isFalse();
        assertThat(GitHubSignature.verify(SECRET, BODY, VECTOR.substring("sha256=".length()))).isFalse();
        assertThat(GitHubSignature.verify(SECRET, BODY, "sha1=757107ea0eb2509fc211221cce984b8a37570b6d")).isFalse();
        assertThat(GitHubSignature.verify(SECRET, BODY, null)).isFalse();
    }

    @Test
    void withoutASecretNothingVerifies() {
        assertThat(GitHubSignature.verify(new byte[0], BODY, VECTOR)).isFalse();
    }

    @Test
    void withoutASecretEveryDeliveryIsRefusedSayingTheSecretIsNotConfigured() {
        assertThatThrownBy(() -> GitHubWebhookResource.requireSignature(new byte[0], BODY, VECTOR))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).toProblem().status()).isEqualTo(503))
                .hasMessageContaining("this service has no GitHub webhook secret configured")
                .hasMessageContaining("BUILD_GITHUB_WEBHOOK_SECRET");
        assertThatThrownBy(() -> GitHubWebhookResource.requireSignature(SECRET, BODY, "sha256=00"))
                .hasMessageContaining("the webhook's secret differs from this service's");
        assertThatThrownBy(() -> GitHubWebhookResource.requireSignature(SECRET, BODY, null))
                .hasMessageContaining("X-Hub-Signature-256 is missing");
        GitHubWebhookResource.requireSignature(SECRET, BODY, VECTOR);
    }
}
