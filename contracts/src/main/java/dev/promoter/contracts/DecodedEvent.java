package dev.promoter.contracts;

/**
 * An event read back from the wire, with its envelope.
 *
 * @param context the envelope facts
 * @param event   the fact itself
 */
public record DecodedEvent(EventContext context, PipelineEvent event) {

    public DecodedEvent {
        Require.present(context, "context");
        Require.present(event, "event");
    }
}
