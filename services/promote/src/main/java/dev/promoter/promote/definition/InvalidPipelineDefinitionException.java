package dev.promoter.promote.definition;

import java.util.List;

/** A pipeline definition was refused; each message names the field path and says what to fix. */
public final class InvalidPipelineDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> messages;

    public InvalidPipelineDefinitionException(List<String> messages) {
        this("invalid pipeline definition", messages);
    }

    InvalidPipelineDefinitionException(String summary, List<String> messages) {
        // The messages go into getMessage() too, so a start-up failure shows them in the log as they are.
        super(summary + ":\n  - " + String.join("\n  - ", messages));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an invalid pipeline definition needs at least one message");
        }
        this.messages = List.copyOf(messages);
    }

    /** One line per problem, such as {@code stages[1].health.timeout: must be shorter than interval (1s)}. */
    public List<String> messages() {
        return messages;
    }
}
