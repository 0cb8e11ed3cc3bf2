package dev.promoter.promote.gate;

import java.time.Instant;

/**
 * One gate's verdict on a waiting digest, in plain words.
 *
 * @param gate      suites, pin, freeze, soak, approvals or manual
 * @param state     MET, WAITING (time or people will open it) or BLOCKED (only a new request can)
 * @param words     what people read: "waiting for 1 more approval from @release-managers"
 * @param changesAt when the verdict changes by time alone (a freeze ends, a soak completes, a request lapses); null
 */
public record GateStatus(String gate, State state, String words, Instant changesAt) {

    /** Whether the gate lets the digest through. */
    public enum State { MET, WAITING, BLOCKED }

    public boolean met() {
        return state == State.MET;
    }
}
