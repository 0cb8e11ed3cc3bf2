package dev.promoter.messaging;

import dev.promoter.kit.auth.Access;
import dev.promoter.kit.auth.Role;
import dev.promoter.kit.page.Pages;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters of this service's consumers: {@code GET} lists them newest first, {@code POST .../replay} applies
 * one through the normal path once its cause is fixed.
 */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final DeadLetters deadLetters;
    private final DeadLetterReplays replays;
    private final Access access;

    DeadLetterResource(DeadLetters deadLetters, DeadLetterReplays replays, Access access) {
        this.deadLetters = deadLetters;
        this.replays = replays;
        this.access = access;
    }

    /** One dead letter as listed. {@code replayedAt} and {@code replayedBy} are null until it is replayed. */
    public record DeadLetterView(long id, String consumer, String topic, int partition, long offset, String key,
                                 String eventId, String eventType, String reason, int attempts,
                                 OffsetDateTime deadLetteredAt, OffsetDateTime replayedAt, String replayedBy) {
    }

    /** A page of dead letters; {@code nextBefore} is the {@code before} of the next page, null on the last. */
    public record DeadLetterPage(List<DeadLetterView> deadLetters, Long nextBefore) {
    }

    /** Role: viewer. */
    @GET
    public Uni<DeadLetterPage> list(@QueryParam("limit") String limit, @QueryParam("before") String before,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.require(authorization, Role.VIEWER);
        int size = Pages.size(limit);
        Long cursor = Pages.before(before, "a dead letter id");
        return deadLetters.list(Pages.fetch(size), Optional.ofNullable(cursor)).map(letters -> {
            Pages.Page<DeadLetters.Stored> page = Pages.of(letters, size, DeadLetters.Stored::id);
            return new DeadLetterPage(page.items().stream().map(DeadLetterResource::view).toList(), page.nextBefore());
        });
    }

    /** Role: operator. */
    @POST
    @Path("/{id}/replay")
    public Uni<DeadLetterReplays.Replayed> replay(@PathParam("id") long id,
                                                  @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String caller = access.require(authorization, Role.OPERATOR).name();
        return replays.replay(id, caller);
    }

    private static DeadLetterView view(DeadLetters.Stored letter) {
        return new DeadLetterView(letter.id(), letter.consumer(), letter.topic(), letter.partition(), letter.offset(),
                letter.key(), letter.eventId(), letter.eventType(), letter.reason(), letter.attempts(),
                letter.deadLetteredAt(), letter.replayedAt(), letter.replayedBy());
    }
}
