package dev.promoter.build.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

class OciPurlTest {

    private static final String HEX = "0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427";

    @Test
    void readsTheCdEventsSpecsArtifactId() {
        assertThat(OciPurl.parse("pkg:oci/myapp@sha256%3A" + HEX + "?repository_url=mycr.io/myapp"))
                .isEqualTo(new OciPurl("mycr.io/myapp", "sha256:" + HEX));
    }

    @Test
    void readsAnEncodedRepositoryWithAPortAndOtherQualifiers() {
        assertThat(OciPurl.parse("pkg:oci/cart@sha256%3A" + HEX + "?arch=amd64&repository_url=127.0.0.1%3A15000%2Fshop%2Fcart"))
                .isEqualTo(new OciPurl("127.0.0.1:15000/shop/cart", "sha256:" + HEX));
    }

    @Test
    void refusesWhatIsNotAnOciPurl() {
        assertThatThrownBy(() -> OciPurl.parse("pkg:docker/cart@sha256%3A" + HEX)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("must start with pkg:oci/");
        assertThatThrownBy(() -> OciPurl.parse("pkg:oci/cart?repository_url=x/y")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("no @<digest>");
        assertThatThrownBy(() -> OciPurl.parse("pkg:oci/cart@sha256%3A" + HEX)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("no repository_url");
    }
}
