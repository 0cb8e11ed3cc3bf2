package dev.promoter.contracts;

import java.net.URI;
import java.time.Instant;

/**
 * The envelope facts of one event: its own id, the service that sent it, when, and the correlation id
 * that follows the artifact through all services.
 *
 * @param id        unique per event; consumers use it to drop duplicate deliveries
 * @param source    the sending service, e.g. {@code /promoter/promote}
 * @param timestamp when the fact happened
 * @param chainId   the correlation id, shared by every event about the same artifact's journey
 */
public record EventContext(String id, URI source, Instant timestamp, String chainId) {

    public EventContext {
        Require.text(id, "context id");
        Require.present(source, "context source");
        Require.present(timestamp, "context timestamp");
        Require.text(chainId, "chainId");
    }
}
