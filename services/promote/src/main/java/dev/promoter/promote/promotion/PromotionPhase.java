package dev.promoter.promote.promotion;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a promotion (one digest entering one stage) stands, the one word list for it in code, API and docs: WAITING
 * while a gate is unmet; then PROMOTED (it entered the stage), REJECTED (an approver said no), LAPSED (its approvals
 * did not come in time) or SUPERSEDED (a newer digest asked for the stage, or the stage left the pipeline). Only
 * WAITING moves, and only to one of the others. Stored by name.
 */
public enum PromotionPhase {
    WAITING, PROMOTED, REJECTED, LAPSED, SUPERSEDED;

    public boolean isTerminal() {
        return this != WAITING;
    }

    /** The phases this one may move to. */
    public Set<PromotionPhase> next() {
        return this == WAITING ? EnumSet.of(PROMOTED, REJECTED, LAPSED, SUPERSEDED) : EnumSet.noneOf(PromotionPhase.class);
    }
}
