package dev.promoter.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * A pause that resumes on the caller's Vert.x context (Hibernate Reactive insists on it), taking no thread while it
 * waits.
 */
final class Delay {

    private Delay() {
    }

    static Uni<Void> of(Duration wait) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        }
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(Math.max(1, wait.toMillis()),
                timer -> context.runOnContext(ignored -> emitter.complete(null))));
    }
}
