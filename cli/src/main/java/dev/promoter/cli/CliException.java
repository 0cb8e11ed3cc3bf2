package dev.promoter.cli;

/**
 * Why a command did not do what it was asked, in one line that says what to do, and the exit status it ends with:
 * {@link #REFUSED} when a service (or the CLI itself) refused, {@link #UNREACHABLE} when a service could not be
 * reached. Usage errors are picocli's own (exit status 2). The message never contains a token.
 */
public final class CliException extends RuntimeException {

    /** A service or the CLI refused the request, or the request failed. */
    public static final int REFUSED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** A service did not answer at all. */
    public static final int UNREACHABLE = 3;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException refused(String message) {
        return new CliException(REFUSED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
