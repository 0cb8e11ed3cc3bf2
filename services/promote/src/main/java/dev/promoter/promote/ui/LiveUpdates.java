package dev.promoter.promote.ui;

import dev.promoter.kit.auth.Role;
import dev.promoter.promote.access.Access;
import dev.promoter.promote.promotion.ApplicationChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /ui/events}: server-sent events telling open pages which application changed (its name, or {@code *} for
 * all), once the change is committed; the page then fetches its fragment again. Fed by what promote consumes
 * (artifacts, test results, health, rollbacks) and by the decisions taken through any door. A comment every 15 s
 * keeps proxies from closing an idle stream. Nothing else is sent: no data leaves by this door that the pages do not
 * show anyway. Like every read it needs the viewer role, from the page's sign-in cookie or a bearer header ({@code 401}
 * or {@code 403} problem+json otherwise), unless reads are open.
 */
@Path("/ui/events")
@ApplicationScoped
public class LiveUpdates {

    private final BroadcastProcessor<String> changes = BroadcastProcessor.create();
    private final Access access;

    LiveUpdates(Access access) {
        this.access = access;
    }

    void changed(@Observes ApplicationChanged change) {
        changes.onNext(change.application());
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> stream(@CookieParam(SignIn.COOKIE) String session,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        boolean signedIn = session != null && !session.isBlank() && session.length() <= SignIn.MAX_TOKEN;
        access.require(signedIn ? "Bearer " + session : authorization, Role.VIEWER);
        Multi<String> keepAlive = Multi.createFrom().ticks().every(Duration.ofSeconds(15)).map(tick -> "");
        // A page that reads slowly gets its notices buffered rather than its stream failed.
        return Multi.createBy().merging().streams(changes.onOverflow().buffer(1024), keepAlive);
    }
}
