package dev.promoter.rollback.rollback;

/** A manual rollback that was refused before anything changed: the refusal, and what the operator can do about it. */
public class RollbackRefused extends RuntimeException {

    /** Why, beyond {@link ManualRollback.Refusal}: the stage is unknown, or it moved on while the rollback ran. */
    public enum Why {
        UNKNOWN_STAGE, NO_TARGET, CURRENT, NEVER_RAN, QUARANTINED, MOVED_ON
    }

    private final Why why;

    public RollbackRefused(Why why, String detail) {
        super(detail);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
