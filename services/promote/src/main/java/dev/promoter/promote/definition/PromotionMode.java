package dev.promoter.promote.definition;

/** Whether a digest that passed a stage's gates enters it by itself (AUTO) or when a person promotes it (MANUAL). */
public enum PromotionMode {
    AUTO, MANUAL;

    /** The word the pipeline definition uses. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
