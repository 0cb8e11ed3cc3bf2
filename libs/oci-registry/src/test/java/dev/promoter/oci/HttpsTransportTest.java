package dev.promoter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocking transport over TLS: the registry's certificate must name the host it was reached at, as the
 * JDK client checks it. Self-signed certificates made with the JDK's keytool, trusted through the client's
 * {@code sslContext}.
 */
class HttpsTransportTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    static KeyStore rightName;
    static KeyStore wrongName;

    @BeforeAll
    static void makeCertificates() throws Exception {
        rightName = selfSigned("right", "ip:127.0.0.1");
        wrongName = selfSigned("wrong", "dns:registry.example");
    }

    private static KeyStore selfSigned(String name, String san) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=" + san, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A registry stand-in over TLS that records the client port of each request, i.e. its connection. */
    private record Registry(HttpsServer server, List<Integer> clientPorts) implements AutoCloseable {
        String hostPort() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Registry start(KeyStore keys) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        List<Integer> ports = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            try (exchange) {
                ports.add(exchange.getRemoteAddress().getPort());
                StandIn.respond(exchange, 200, Map.of("Content-Type", Manifest.OCI_MANIFEST,
                        "Docker-Content-Digest", ManifestVerificationTest.MANIFEST_DIGEST), ManifestVerificationTest.MANIFEST);
            } catch (IOException e) {
                // the client hung up
            }
        });
        server.start();
        return new Registry(server, ports);
    }

    private static SSLContext trusting(KeyStore keys) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void aCertificateNamingTheHostIsAcceptedAndTheConnectionKept() throws Exception {
        try (Registry registry = start(rightName)) {
            RegistryClient client = RegistryClient.builder(registry.hostPort()).plainHttp(false)
                    .sslContext(trusting(rightName)).build();

            assertThat(client.head("shop/cart", "prod")).map(ManifestRef::digest)
                    .contains(ManifestVerificationTest.MANIFEST_DIGEST);
            assertThat(client.getManifest("shop/cart", "prod").raw()).isEqualTo(ManifestVerificationTest.MANIFEST);

            assertThat(registry.clientPorts()).hasSize(2).containsOnly(registry.clientPorts().get(0));
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        try (Registry registry = start(wrongName)) {
            RegistryClient client = RegistryClient.builder(registry.hostPort()).plainHttp(false)
                    .sslContext(trusting(wrongName)).build();

            assertThatThrownBy(() -> client.head("shop/cart", "prod"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("check tag prod in " + registry.hostPort() + "/shop/cart: SSLHandshakeException")
                    .hasMessageContaining("127.0.0.1");
            assertThat(registry.clientPorts()).isEmpty();
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (Registry registry = start(rightName)) {
            RegistryClient client = RegistryClient.builder(registry.hostPort()).plainHttp(false).build();

            assertThatThrownBy(() -> client.head("shop/cart", "prod"))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("SSLHandshakeException");
            assertThat(registry.clientPorts()).isEmpty();
        }
    }
}
