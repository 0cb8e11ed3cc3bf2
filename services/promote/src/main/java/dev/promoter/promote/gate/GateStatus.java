package dev.promoter.promote.gate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One gate's verdict on a waiting digest, in plain words.
 *
 * @param gate      which gate
 * @param state     MET, WAITING (time or people will open it) or BLOCKED (only a new request can)
 * @param words     what people read: "waiting for 1 more approval from @release-managers"
 * @param changesAt when the verdict changes by time alone (a freeze ends, a soak completes, a request lapses); null
 * @param ending    for BLOCKED, how it ends the promotion (rejected, lapsed); null otherwise. Not shown: the words say it
 */
public record GateStatus(Gate gate, State state, String words, Instant changesAt, @JsonIgnore Ending ending) {

    /** Whether the gate lets the digest through. */
    public enum State { MET, WAITING, BLOCKED }

    /** How a BLOCKED gate ends the promotion. */
    public enum Ending { REJECTED, LAPSED }

    public GateStatus {
        if ((state == State.BLOCKED) != (ending != null)) {
            throw new IllegalArgumentException("a gate names how it ends a promotion exactly when it blocks");
        }
    }

    /** A gate that is met or waits. */
    public GateStatus(Gate gate, State state, String words, Instant changesAt) {
        this(gate, state, words, changesAt, null);
    }

    /** A gate that blocks for good, ending the promotion as {@code ending} says. */
    public static GateStatus blocked(Gate gate, Ending ending, String words) {
        return new GateStatus(gate, State.BLOCKED, words, null, ending);
    }

    public boolean met() {
        return state == State.MET;
    }
}
