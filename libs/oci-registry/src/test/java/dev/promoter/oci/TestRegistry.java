package dev.promoter.oci;

import dev.promoter.stack.OciRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Starts the real CNCF Distribution registry for a test class, on a free loopback port. */
final class TestRegistry {

    private TestRegistry() {
    }

    static OciRegistry start(Path stateDir) {
        OciRegistry registry = new OciRegistry(stateDir, freePort());
        registry.start(false);
        return registry;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
