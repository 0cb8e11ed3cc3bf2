package dev.promoter.rollback.outgoing;

/** Where an outgoing call stands. */
public enum CallPhase {
    /** Not delivered yet; due at its next attempt. */
    PENDING,
    /** Delivered (a 2xx from the hook, {@code ok: true} from Slack). */
    SUCCEEDED,
    /** Every allowed attempt failed; kept, with each attempt's outcome. */
    FAILED,
    /** A deploy hook not yet delivered when the stage moved again: the runtime only needs the newest digest. */
    SUPERSEDED;

    public boolean isTerminal() {
        return this != PENDING;
    }
}
