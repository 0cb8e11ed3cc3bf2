package dev.promoter.promote.gate;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The gates a digest passes to enter a stage, in the order they are shown. Shown and sent by their word
 * ({@code suites}, {@code approvals}, …), as the pipeline definition and the API name them.
 */
public enum Gate {
    /** The line is stopped by a person. */
    STOPPED,
    /** The digest is quarantined somewhere. */
    QUARANTINE,
    /** The previous stage's suites. */
    SUITES,
    /** The stage is held at another digest. */
    PIN,
    /** A freeze window. */
    FREEZE,
    /** Time healthy in the previous stage. */
    SOAK,
    /** People's approvals. */
    APPROVALS,
    /** A person promotes by hand ({@code promotion: manual}). */
    MANUAL;

    /** The gate's word: {@code approvals}. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Gates that judge facts, not rules: the same under every revision of the pipeline definition. */
    public boolean judgesFacts() {
        return this == QUARANTINE || this == SUITES || this == PIN;
    }

    @Override
    public String toString() {
        return word();
    }
}
