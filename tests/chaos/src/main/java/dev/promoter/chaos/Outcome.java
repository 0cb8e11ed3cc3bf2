package dev.promoter.chaos;

import java.util.List;

/**
 * What one fault did, measured after the pipeline settled (or the settle time ran out): a row of RELIABILITY.md.
 * {@code superseded}: artifacts of the fault's phase a newer artifact replaced before they moved on (not a loss: see
 * {@link Checker#superseded}).
 * {@code recoverySeconds}: from the end of the fault to the first move of any stage after it (NaN when none);
 * {@code settledSeconds}: from the end of the fault until every accepted artifact was where it belongs and every
 * stage agreed (NaN when that did not happen within the settle time).
 */
record Outcome(Fault fault, int accepted, int refused, List<Artifact> lost, List<Artifact> superseded,
               List<String> duplicated,
               List<String> wrong, List<String> inconsistent, long deadLettered, List<String> deadLetterReasons,
               double recoverySeconds, double settledSeconds, String error) {

    boolean clean() {
        return error == null && lost.isEmpty() && duplicated.isEmpty() && wrong.isEmpty() && inconsistent.isEmpty()
                && deadLettered == 0;
    }
}
