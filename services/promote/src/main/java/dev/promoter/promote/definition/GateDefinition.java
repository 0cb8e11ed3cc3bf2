package dev.promoter.promote.definition;

import java.time.Duration;
import java.util.List;

/**
 * The gates a digest must pass to enter a stage, besides the previous stage's suites and quarantine: a soak time in
 * the previous stage, approvals, freeze windows, and the image label that marks a hotfix (exempt from freezes, but
 * then in need of an approval of its own).
 *
 * @param soak        how long the digest must have been healthy in the previous stage; null for no soak
 * @param approvals   who must approve; null when nobody has to
 * @param freeze      recurring windows in which nothing enters the stage
 * @param hotfixLabel image config label whose presence (any value but "false") marks a hotfix; null for none
 */
public record GateDefinition(Duration soak, ApprovalDefinition approvals, List<FreezeWindow> freeze,
                             String hotfixLabel) {

    /** A stage with no gates of its own. */
    public static final GateDefinition NONE = new GateDefinition(null, null, List.of(), null);

    public GateDefinition {
        freeze = List.copyOf(freeze);
    }

    /** Whether a digest may enter without waiting for anything but its suites. */
    public boolean isEmpty() {
        return soak == null && approvals == null && freeze.isEmpty();
    }
}
