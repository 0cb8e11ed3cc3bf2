package dev.promoter.test.suite;

import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import java.util.List;

/**
 * The verdict of one suite run: its outcome and, when it did not succeed, why. A FAILURE lists the
 * findings (what the artifact got wrong); an ERROR is a technical fault with no findings.
 *
 * @param outcome  the CDEvents outcome
 * @param findings what failed, one entry per broken rule; empty unless FAILURE
 * @param reason   the findings joined by "; ", or the fault; null on SUCCESS
 */
public record SuiteRunVerdict(Outcome outcome, List<String> findings, String reason) {

    public SuiteRunVerdict {
        findings = List.copyOf(findings);
    }

    /** SUCCESS when nothing was found, otherwise FAILURE naming every finding. */
    static SuiteRunVerdict of(List<String> findings) {
        return findings.isEmpty()
                ? new SuiteRunVerdict(Outcome.SUCCESS, List.of(), null)
                : new SuiteRunVerdict(Outcome.FAILURE, findings, String.join("; ", findings));
    }

    /** A technical fault: the suite could not judge the artifact. */
    static SuiteRunVerdict errored(String fault) {
        return new SuiteRunVerdict(Outcome.ERROR, List.of(), fault == null || fault.isBlank() ? "unknown fault" : fault);
    }

    /** A suite of a kind this service has no runner for: reported, never skipped, so no gate waits forever. */
    static SuiteRunVerdict unknownKind(String kind) {
        return errored("unknown suite kind '" + kind + "'");
    }
}
