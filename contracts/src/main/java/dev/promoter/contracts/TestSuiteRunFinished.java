package dev.promoter.contracts;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One test suite of a stage finished running against an artifact, with its verdict.
 *
 * @param application the application under test
 * @param digest      the artifact that was tested
 * @param stage       the stage whose suite ran
 * @param suite       the suite's name in the pipeline definition
 * @param attempt     1 for the first run of this suite on this artifact in this stage, then 2, 3, ...
 * @param outcome     the verdict
 * @param reason      why it did not succeed, or null
 */
public record TestSuiteRunFinished(String application, Digest digest, String stage, String suite, int attempt,
                                   Outcome outcome, String reason) implements PipelineEvent {

    public static final String TYPE = "dev.cdevents.testsuiterun.finished.0.3.0";

    public TestSuiteRunFinished {
        Require.name(application, "application");
        Require.present(digest, "digest");
        Require.name(stage, "stage");
        Require.name(suite, "suite");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, got " + attempt);
        }
        Require.present(outcome, "outcome");
        Require.optionalText(reason, "reason");
    }

    /**
     * The run's id, {@code <application>/<stage>/<suite>/<digest-hex-12>/<attempt>}: derived from content,
     * so a replayed result names the same run.
     */
    public String runId() {
        return application + "/" + stage + "/" + suite + "/" + digest.shortForm() + "/" + attempt;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String subjectId() {
        return runId();
    }

    @Override
    public Topic topic() {
        return Topics.TEST_RESULTS;
    }

    /** The verdict of a test suite run: FAILURE is a business verdict, ERROR a technical fault. */
    public enum Outcome {
        SUCCESS("success"),
        FAILURE("failure"),
        ERROR("error"),
        CANCEL("cancel");

        private final String wireValue;

        Outcome(String wireValue) {
            this.wireValue = wireValue;
        }

        /** The CDEvents spelling. */
        public String wireValue() {
            return wireValue;
        }

        public static Outcome fromWireValue(String value) {
            for (Outcome outcome : values()) {
                if (outcome.wireValue.equals(value)) {
                    return outcome;
                }
            }
            throw new IllegalArgumentException("outcome must be one of "
                    + Arrays.stream(values()).map(Outcome::wireValue).collect(Collectors.joining("|"))
                    + ", got " + Require.quote(value));
        }
    }
}
