package dev.promoter.contracts;

/**
 * A record whose {@code context.type} this contract version does not know; consumers skip and count it
 * on purpose, so that producers can start emitting new types before every consumer knows them.
 */
public class UnknownEventTypeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    public UnknownEventTypeException(String type) {
        super("unknown event type " + Require.quote(type));
        this.type = type;
    }

    /** The type as read from the record. */
    public String type() {
        return type;
    }
}
