package dev.promoter.promote.gate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Every gate's verdict on one digest waiting to enter one stage. */
public record GateEvaluation(List<GateStatus> gates) {

    public GateEvaluation {
        gates = List.copyOf(gates);
    }

    /** Whether every gate is met: the digest may enter the stage. */
    public boolean open() {
        return gates.stream().allMatch(GateStatus::met);
    }

    /** Whether a gate refuses for good (a rejection, a lapsed request): only a new request can open it. */
    public boolean blocked() {
        return gates.stream().anyMatch(g -> g.state() == GateStatus.State.BLOCKED);
    }

    /** The gate that blocks for good, if one does. */
    public GateStatus blocker() {
        return gates.stream().filter(g -> g.state() == GateStatus.State.BLOCKED).findFirst().orElse(null);
    }

    /** The earliest moment time alone changes a verdict; null when only people or events can. */
    public Instant nextChange() {
        return gates.stream().map(GateStatus::changesAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /** Why the digest waits, in one line: the unmet gates' words joined by "; ", or "all gates met". */
    public String explanation() {
        String unmet = gates.stream().filter(g -> !g.met()).map(GateStatus::words).collect(Collectors.joining("; "));
        return unmet.isEmpty() ? "all gates met" : unmet;
    }
}
