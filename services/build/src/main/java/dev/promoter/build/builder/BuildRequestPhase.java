package dev.promoter.build.builder;

/** Where a build request to a builder stands. */
public enum BuildRequestPhase {
    /** Recorded; not yet accepted by the builder (tried again until it is, or attempts run out). */
    PENDING,
    /** The builder queued the build. */
    SUCCEEDED,
    /** The builder refused it in a way a retry will not change (unknown job, bad credentials). */
    FAILED,
    /** The builder could not be reached, attempt after attempt. */
    ERRORED;

    public boolean isTerminal() {
        return this != PENDING;
    }
}
