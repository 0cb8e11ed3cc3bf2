package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactIdTest {

    private static final String HEX = "0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427";
    private static final Digest DIGEST = Digest.parse("sha256:" + HEX);

    @Test
    void namesTheArtifactAfterTheLastPathSegmentOfItsRepository() {
        ArtifactId id = ArtifactId.of("127.0.0.1:5000/shop/cart", DIGEST);

        assertThat(id.name()).isEqualTo("cart");
        assertThat(id.purl()).isEqualTo("pkg:oci/cart@sha256%3A" + HEX + "?repository_url=127.0.0.1:5000/shop/cart");
        assertThat(id).hasToString(id.purl());
    }

    @Test
    void parsesWhatItWrites() {
        ArtifactId id = ArtifactId.of("registry.local/shop/cart", DIGEST);

        assertThat(ArtifactId.parse(id.purl())).isEqualTo(id);
    }

    @Test
    void parsesTheSpecExample() {
        ArtifactId id = ArtifactId.parse("pkg:oci/myapp@sha256%3A" + HEX + "?repository_url=mycr.io/myapp");

        assertThat(id.repository()).isEqualTo("mycr.io/myapp");
        assertThat(id.digest()).isEqualTo(DIGEST);
    }

    @Test
    void acceptsAnUnencodedColonAndEncodedQualifierValuesAndOtherQualifiers() {
        ArtifactId id = ArtifactId.parse(
                "pkg:oci/cart@sha256:" + HEX + "?arch=amd64&repository_url=127.0.0.1%3A5000%2Fshop%2Fcart");

        assertThat(id).isEqualTo(ArtifactId.of("127.0.0.1:5000/shop/cart", DIGEST));
    }

    @Test
    void aRepositoryWithoutHostIsItsOwnName() {
        assertThat(ArtifactId.of("cart", DIGEST).name()).isEqualTo("cart");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Shop/Cart", "registry.local/shop/cart:latest", "registry.local/shop/cart?x=1",
            "registry.local//cart", "registry.local/shop/cart/", "http://registry.local/cart"})
    void rejectsRepositoriesThatAreNotOciRepositories(String repository) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ArtifactId.of(repository, DIGEST))
                .withMessageStartingWith("repository must be an OCI repository such as 'registry.local/shop/cart'")
                .withMessageEndingWith("got '" + repository + "'");
    }

    @Test
    void rejectsNullParts() {
        assertThatIllegalArgumentException().isThrownBy(() -> ArtifactId.of(null, DIGEST))
                .withMessageEndingWith("got null");
        assertThatIllegalArgumentException().isThrownBy(() -> ArtifactId.of("cart", null))
                .withMessage("digest is required");
    }

    @Test
    void rejectsANameThatIsNotTheRepositorysLastSegment() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ArtifactId.parse("pkg:oci/orders@sha256%3A" + HEX + "?repository_url=r.local/cart"))
                .withMessageContaining("the name 'orders' must be the last path segment of the repository");
    }

    @Test
    void rejectsAMissingRepositoryUrl() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ArtifactId.parse("pkg:oci/cart@sha256%3A" + HEX + "?arch=amd64"))
                .withMessageStartingWith("artifact id must look like"
                        + " 'pkg:oci/<name>@sha256%3A<64 hex>?repository_url=<repository>'")
                .withMessageContaining("the repository_url qualifier is missing");
    }

    @Test
    void rejectsAVersionThatIsNotADigest() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ArtifactId.parse("pkg:oci/cart@latest?repository_url=r.local/cart"))
                .withMessageContaining("its version is not a digest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkg:npm/cart@1.0.0", "pkg:oci/cart?repository_url=r.local/cart",
            "pkg:oci/cart@sha256%3A" + HEX + "?repository_url=r.local/cart#sub", "pkg:oci/cart@sha256%3A" + HEX,
            "pkg:oci/cart@sha256%3A" + HEX + "?repository_url=r.local%2/cart"})
    void rejectsOtherShapes(String purl) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ArtifactId.parse(purl))
                .withMessageStartingWith("artifact id must look like");
    }

    @Test
    void rejectsNullPurl() {
        assertThatIllegalArgumentException().isThrownBy(() -> ArtifactId.parse(null))
                .withMessageEndingWith("it must start with 'pkg:oci/', got null");
    }
}
