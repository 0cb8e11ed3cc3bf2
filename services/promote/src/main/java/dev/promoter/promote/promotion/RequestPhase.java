package dev.promoter.promote.promotion;

/**
 * Where a request to enter a gated stage stands: PENDING while its gates are unmet; then PROMOTED (it entered),
 * REJECTED (someone said no), LAPSED (its approvals expired) or SUPERSEDED (a newer digest asked for the stage).
 * Only PENDING moves, and only to one of the others.
 */
public enum RequestPhase {
    PENDING, PROMOTED, REJECTED, LAPSED, SUPERSEDED;

    public boolean isTerminal() {
        return this != PENDING;
    }
}
