package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RegistryClientOptionsTest {

    private static URI base(String hostPort) {
        return RegistryClient.forRegistry(hostPort, RegistryCredentials.anonymous()).baseUri();
    }

    @Test
    void loopbackRegistriesAreSpokenToOverPlainHttp() {
        assertThat(base("127.0.0.1:15000")).isEqualTo(URI.create("http://127.0.0.1:15000/v2/"));
        assertThat(base("localhost:5000")).isEqualTo(URI.create("http://localhost:5000/v2/"));
        assertThat(base("[::1]:5000")).isEqualTo(URI.create("http://[::1]:5000/v2/"));
    }

    @Test
    void everyOtherRegistryIsSpokenToOverHttpsUnlessConfiguredPlain() {
        assertThat(base("ghcr.io")).isEqualTo(URI.create("https://ghcr.io/v2/"));
        assertThat(base("registry.local:5000")).isEqualTo(URI.create("https://registry.local:5000/v2/"));
        assertThat(RegistryClient.builder("registry.local:5000").plainHttp(true).build().baseUri())
                .isEqualTo(URI.create("http://registry.local:5000/v2/"));
        assertThat(RegistryClient.builder("127.0.0.1:5443").plainHttp(false).build().baseUri())
                .isEqualTo(URI.create("https://127.0.0.1:5443/v2/"));
    }

    @Test
    void dockerHubIsReachedAtItsApiHost() {
        RegistryClient hub = RegistryClient.forRegistry("docker.io", RegistryCredentials.anonymous());

        assertThat(hub.registry()).isEqualTo("docker.io");
        assertThat(hub.baseUri()).isEqualTo(URI.create("https://registry-1.docker.io/v2/"));
    }

    @Test
    void aRegistryMustBeHostAndPortOnly() {
        assertThatThrownBy(() -> base("http://127.0.0.1:15000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected host[:port]");
        assertThatThrownBy(() -> base("127.0.0.1:15000/shop")).isInstanceOf(IllegalArgumentException.class);
    }
}
