package dev.promoter.contracts;

/** A record of a known event type that cannot be read; its consumer sends it to its dead-letter topic. */
public class UnreadableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** What is wrong with the record, fit for a dead-letter header and a log line. */
    public String reason() {
        return getMessage();
    }
}
