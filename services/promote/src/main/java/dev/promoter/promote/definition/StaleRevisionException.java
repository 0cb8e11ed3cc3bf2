package dev.promoter.promote.definition;

/** A save named the revision it was based on ({@code If-Match}) and someone saved another one meanwhile. */
public final class StaleRevisionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int current;

    StaleRevisionException(String application, String expected, int current) {
        super(current == 0
                ? "the save was based on revision " + expected + " of " + application
                        + "'s pipeline definition, but it has none; send it without If-Match to create it"
                : "the save was based on revision " + expected + " of " + application + "'s pipeline definition, but"
                        + " revision " + current + " is current; read it (GET, ETag \"" + current + "\"), merge, and"
                        + " save again with If-Match: \"" + current + "\"");
        this.current = current;
    }

    /** The revision saved now; 0 when there is none. */
    public int current() {
        return current;
    }
}
