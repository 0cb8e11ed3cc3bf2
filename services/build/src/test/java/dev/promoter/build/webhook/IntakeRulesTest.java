package dev.promoter.build.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntakeRulesTest {

    @ParameterizedTest
    @CsvSource({
        "ghcr.io/Acme/Shop-Cart:1.0, ghcr.io/acme/shop-cart",
        "ghcr.io/acme/cart:, ghcr.io/acme/cart",
        "127.0.0.1:15000/shop/cart:v1, 127.0.0.1:15000/shop/cart",
        "127.0.0.1:15000/shop/cart, 127.0.0.1:15000/shop/cart",
        "ghcr.io/acme/cart@sha256:abc, ghcr.io/acme/cart"})
    void theRepositoryOfAnImageReferenceDropsItsTagOrDigest(String reference, String repository) {
        assertThat(Intake.repositoryOf(reference)).isEqualTo(repository);
    }

    @Test
    void aReferenceWithoutRegistryOrPathNamesNoRepository() {
        assertThat(Intake.repositoryOf("cart:1.0")).isNull();
        assertThat(Intake.repositoryOf("")).isNull();
        assertThat(Intake.repositoryOf(null)).isNull();
    }

    @Test
    void gitLabDeliveriesAreKeyedByIdempotencyKeyThenEventUuidThenBody() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(GitLabWebhookResource.deliveryId("k-1", "u-1", body)).isEqualTo("k-1");
        assertThat(GitLabWebhookResource.deliveryId(null, "u-1", body)).isEqualTo("event-uuid:u-1");
        assertThat(GitLabWebhookResource.deliveryId(" ", null, body))
                .isEqualTo("body-sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }
}
