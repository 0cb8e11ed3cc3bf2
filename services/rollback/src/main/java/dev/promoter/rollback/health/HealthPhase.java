package dev.promoter.rollback.health;

import java.util.EnumSet;
import java.util.Set;

/** Where the health watch of one deployment in a stage stands. */
public enum HealthPhase {

    /** Probing; not yet enough successes after the grace period to call it healthy. */
    WATCHING,
    /** Enough successes in a row after the grace period; still probed, since it may fail later. */
    HEALTHY,
    /** Enough counted failures in a row: the stage must move away from it. */
    UNHEALTHY;

    public boolean isTerminal() {
        return this == UNHEALTHY;
    }

    public boolean canMoveTo(HealthPhase next) {
        return next != this && allowedNext().contains(next);
    }

    private Set<HealthPhase> allowedNext() {
        return switch (this) {
            case WATCHING -> EnumSet.of(HEALTHY, UNHEALTHY);
            case HEALTHY -> EnumSet.of(UNHEALTHY);
            case UNHEALTHY -> EnumSet.noneOf(HealthPhase.class);
        };
    }
}
