package dev.promoter.demo;

/** A demo step that did not happen in time or could not be done, with where to look next. */
final class DemoFailure extends RuntimeException {

    private final String hint;

    DemoFailure(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    String hint() {
        return hint;
    }
}
