package dev.promoter.rollback.health;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Runs database work started outside a request or a message on a fresh Vert.x context: see the library's one. */
public final class Contexts {

    private Contexts() {
    }

    public static <T> Uni<T> onFreshContext(Vertx vertx, Supplier<Uni<T>> work) {
        return dev.promoter.messaging.Contexts.onFreshContext(vertx, work);
    }
}
