package dev.promoter.contracts;

/** What the rollback service does when a stage's registry tag no longer points at the stage's recorded digest. */
public enum DriftPolicy {

    /** Record and announce the drift; leave the tag where someone put it. */
    REPORT,
    /** Record and announce the drift, and move the tag back to the recorded digest. */
    RESTORE;

    /** The word in pipeline definitions and events. */
    public String wireValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DriftPolicy fromWireValue(String value) {
        for (DriftPolicy policy : values()) {
            if (policy.wireValue().equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("drift must be report or restore, got " + Require.quote(value));
    }
}
