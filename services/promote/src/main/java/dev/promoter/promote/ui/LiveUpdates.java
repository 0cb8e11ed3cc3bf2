package dev.promoter.promote.ui;

import dev.promoter.promote.promotion.ApplicationChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /ui/events}: server-sent events telling open pages which application changed (its name, or {@code *} for
 * all), once the change is committed; the page then fetches its fragment again. Fed by what promote consumes
 * (artifacts, test results, health, rollbacks) and by the decisions taken through any door. A comment every 15 s
 * keeps proxies from closing an idle stream. Nothing else is sent: no data leaves by this door that the pages do not
 * show anyway.
 */
@Path("/ui/events")
@ApplicationScoped
public class LiveUpdates {

    private final BroadcastProcessor<String> changes = BroadcastProcessor.create();

    void changed(@Observes ApplicationChanged change) {
        changes.onNext(change.application());
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> stream() {
        Multi<String> keepAlive = Multi.createFrom().ticks().every(Duration.ofSeconds(15)).map(tick -> "");
        // A page that reads slowly gets its notices buffered rather than its stream failed.
        return Multi.createBy().merging().streams(changes.onOverflow().buffer(1024), keepAlive);
    }
}
