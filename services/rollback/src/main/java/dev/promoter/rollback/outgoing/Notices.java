package dev.promoter.rollback.outgoing;

import dev.promoter.rollback.health.HealthVerdict;
import dev.promoter.rollback.history.Stage;

/** The Slack notices of what the rollback service did to a stage: plain text (mrkdwn), evidence included. */
public final class Notices {

    private Notices() {
    }

    public static String rollback(Stage stage, String failing, String target, HealthVerdict verdict) {
        return ":rewind: Rolled back *" + stage.application + "* in *" + stage.stage + "* from `" + failing + "` to `"
                + target + "`: " + verdict.reason() + ".\nEvidence: " + verdict.evidence() + "\n`" + failing
                + "` is quarantined in " + stage.stage + ".";
    }

    public static String manualRollback(Stage stage, String leaving, String target, String actor, String reason) {
        return ":rewind: *" + actor + "* rolled back *" + stage.application + "* in *" + stage.stage + "* from `"
                + leaving + "` to `" + target + "`: " + reason + ".";
    }

    public static String held(Stage stage, String failing, String heldReason, HealthVerdict verdict) {
        return ":warning: *" + stage.application + "* in *" + stage.stage + "* is unhealthy and was NOT rolled back: "
                + heldReason + ". It keeps running `" + failing + "`, now quarantined; it needs a person.\n"
                + verdict.reason() + ".\nEvidence: " + verdict.evidence();
    }

    public static String drift(Stage stage, String found, boolean restored) {
        return ":mag: The *" + stage.stage + "* tag of *" + stage.application + "* was moved behind the pipeline's"
                + " back: it points at `" + (found == null ? "nothing" : found) + "`, but " + stage.stage + " runs `"
                + stage.currentDigest + "` by its history. " + (restored
                ? "The tag was put back on `" + stage.currentDigest + "`."
                : "It was left as found (drift: report); promote or roll back to settle it.");
    }
}
