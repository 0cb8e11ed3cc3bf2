package dev.promoter.messaging.outgoing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Delivers one kind of outgoing call; a CDI bean per kind, found by the {@link OutgoingCallSweeper}. {@link #send}
 * runs outside any transaction, on a Vert.x context, and should not fail: a failure counts as
 * {@link Attempt#unavailable}.
 */
public interface CallSender {

    /** The kind of call this sender delivers, as queued in {@link NewCall#kind()}. */
    String kind();

    CallPolicy policy();

    /** One attempt at delivering the call. */
    Uni<Attempt> send(OutgoingCall call);

    /**
     * Runs in the transaction that records an attempt, after the call's row was updated ({@code after} is the call as
     * it now stands): for a sender's own records that must change with it. Nothing by default.
     */
    default Uni<Void> recorded(SqlConnection transaction, OutgoingCall after, Attempt attempt) {
        return Uni.createFrom().voidItem();
    }

    /** Runs in the transaction in which a person gave a FAILED call a new round of attempts. Nothing by default. */
    default Uni<Void> retried(SqlConnection transaction, OutgoingCall call) {
        return Uni.createFrom().voidItem();
    }
}
