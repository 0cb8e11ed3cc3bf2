package dev.promoter.kit.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundUrlsTest {

    private static final OutboundUrls LOCAL = OutboundUrls.allowing(List.of("127.0.0.0/8", "::1", "localhost"));

    private static boolean allowed(OutboundUrls urls, String url) {
        return urls.refusal(URI.create(url)).isEmpty();
    }

    @Test
    void loopbackByAddressAndNameIsAllowedByTheLocalList() {
        assertThat(allowed(LOCAL, "http://127.0.0.1:18080/health")).isTrue();
        assertThat(allowed(LOCAL, "http://127.3.4.5/")).isTrue();
        assertThat(allowed(LOCAL, "http://[::1]:8080/")).isTrue();
        assertThat(allowed(LOCAL, "http://localhost:8080/")).isTrue();
        assertThat(allowed(LOCAL, "https://LOCALHOST./")).isTrue();
    }

    @Test
    void addressesOutsideTheRangesAndNamesNotListedAreRefused() {
        assertThat(LOCAL.refusal(URI.create("http://10.1.2.3/health")))
                .hasValueSatisfying(reason -> assertThat(reason).isEqualTo("10.1.2.3 is not in the allow-list of"
                        + " outbound hosts (allowed: 127.0.0.0/8, ::1, localhost)"));
        assertThat(LOCAL.refusal(URI.create("http://shop.example.com/")))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("host shop.example.com is not in the allow-list"));
        // Numeric forms the resolver might read as addresses are names here, and no name is listed.
        assertThat(allowed(LOCAL, "http://2130706433/")).isFalse();
        assertThat(allowed(LOCAL, "http://0x7f.0.0.1/")).isFalse();
        assertThat(allowed(LOCAL, "ftp://127.0.0.1/")).isFalse();
        assertThat(allowed(LOCAL, "file:///etc/passwd")).isFalse();
    }

    @Test
    void cloudMetadataAddressesAreRefusedEvenInsideAWideRange() {
        OutboundUrls everything = OutboundUrls.allowing(List.of("0.0.0.0/0", "::/0", "*.internal"));
        assertThat(everything.refusal(URI.create("http://169.254.169.254/latest/meta-data/")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("169.254.169.254, a link-local or cloud"
                        + " metadata address (169.254.0.0/16); refused unless the allow-list names it explicitly"));
        assertThat(allowed(everything, "http://[fd00:ec2::254]/")).isFalse();
        assertThat(allowed(everything, "http://[::ffff:169.254.169.254]/")).isFalse();
        assertThat(allowed(everything, "http://[fe80::1]/")).isFalse();
        assertThat(allowed(everything, "http://0.0.0.0:8080/")).isFalse();
        assertThat(everything.refusal(URI.create("http://metadata.google.internal/computeMetadata/v1/")))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("host metadata.google.internal is a cloud"
                        + " metadata service"));
        assertThat(allowed(everything, "http://10.0.0.1/")).isTrue();
        assertThat(allowed(everything, "http://shop.internal/")).isTrue();
    }

    @Test
    void aGuardedAddressOrNameNamedExplicitlyIsAllowed() {
        OutboundUrls explicit = OutboundUrls.allowing(List.of("169.254.169.254", "metadata.google.internal",
                "fd00:ec2::254/128"));
        assertThat(allowed(explicit, "http://169.254.169.254/")).isTrue();
        assertThat(allowed(explicit, "http://169.254.169.253/")).isFalse();
        assertThat(allowed(explicit, "http://metadata.google.internal/")).isTrue();
        assertThat(allowed(explicit, "http://[fd00:ec2::254]/")).isTrue();
    }

    @Test
    void aListedNameThatResolvesToAGuardedAddressIsRefusedAtSendTime() {
        OutboundUrls urls = OutboundUrls.allowing(List.of("*.shop.example", "10.0.0.0/8"));
        Map<String, String> dns = Map.of("api.shop.example", "10.0.0.7", "evil.shop.example", "169.254.169.254");
        OutboundUrls.Resolver resolver = host -> {
            String address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        };
        assertThat(urls.refusal(URI.create("http://evil.shop.example/health"))).isEmpty();
        assertThat(urls.refusal(URI.create("http://evil.shop.example/health"), resolver))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("host evil.shop.example resolves to"
                        + " 169.254.169.254, a link-local or cloud metadata address"));
        assertThat(urls.refusal(URI.create("http://api.shop.example/health"), resolver)).isEmpty();
        // Unresolvable: the call fails by itself and says so.
        assertThat(urls.refusal(URI.create("http://gone.shop.example/health"), resolver)).isEmpty();
        assertThat(urls.refusal(URI.create("http://other.example/health"), resolver)).isPresent();
    }

    @Test
    void aMalformedEntryIsRefusedWithItsText() {
        assertThatThrownBy(() -> OutboundUrls.allowing(List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33' has a prefix outside 0-32");
        assertThatThrownBy(() -> OutboundUrls.allowing(List.of("http://x/")))
                .hasMessageContaining("'http://x/' is no IP address or CIDR range");
        assertThatThrownBy(() -> OutboundUrls.allowing(List.of("shop example")))
                .hasMessageContaining("'shop example' is neither");
    }
}
