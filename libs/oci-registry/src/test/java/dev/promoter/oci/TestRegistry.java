package dev.promoter.oci;

import dev.promoter.stack.LoopbackPorts;
import dev.promoter.stack.OciRegistry;
import java.nio.file.Path;

/** Starts the real CNCF Distribution registry for a test class, on a free loopback port. */
final class TestRegistry {

    private TestRegistry() {
    }

    static OciRegistry start(Path stateDir) {
        OciRegistry registry = new OciRegistry(stateDir, LoopbackPorts.free());
        registry.start(false);
        return registry;
    }
}
