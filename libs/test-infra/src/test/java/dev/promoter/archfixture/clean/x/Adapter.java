package dev.promoter.archfixture.clean.x;

import jakarta.enterprise.context.ApplicationScoped;

/** An adapter may use the framework; the plain class beside it does not. */
@ApplicationScoped
public class Adapter {
    io.quarkus.runtime.StartupEvent startup;
    Plain plain;

    /** Nested in an adapter: the adapter's business. */
    public record Request(io.quarkus.runtime.StartupEvent at) {
    }
}
