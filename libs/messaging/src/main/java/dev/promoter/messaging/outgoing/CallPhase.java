package dev.promoter.messaging.outgoing;

/** Where an outgoing call stands. */
public enum CallPhase {
    /** Not delivered yet; due at its next attempt (an outage only delays it). */
    PENDING,
    /** Delivered. */
    SUCCEEDED,
    /** Its own attempt limit ran out, or the receiver refused it in a way a retry will not change; kept, listed, retryable. */
    FAILED,
    /** A newer call with the same key replaced it before it was delivered (only for kinds that say so). */
    SUPERSEDED
}
