package dev.promoter.promote.definition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which stages a new revision of a pipeline definition changes the gates of: their approval rules, the people those
 * rules admit (with every identity they act under, which also decides who counts as a commit's author), their soak,
 * freeze windows, hotfix label, or whether promotion is manual. Plain Java.
 */
public final class GateChanges {

    private GateChanges() {
    }

    /**
     * The stages, in the new definition's order and then removed ones, whose gates differ between {@code before}
     * (null for a first save) and {@code after}. A stage that appears or disappears counts when it is gated.
     */
    public static List<String> between(PipelineDefinition before, PipelineDefinition after) {
        Set<String> changed = new LinkedHashSet<>();
        for (StageDefinition stage : after.stages()) {
            StageDefinition earlier = before == null ? null : before.stage(stage.name()).orElse(null);
            if (!Objects.equals(view(earlier, before), view(stage, after))) {
                changed.add(stage.name());
            }
        }
        if (before != null) {
            for (StageDefinition stage : before.stages()) {
                if (after.stage(stage.name()).isEmpty() && view(stage, before) != null) {
                    changed.add(stage.name());
                }
            }
        }
        return List.copyOf(changed);
    }

    /** What decides entry into a stage, beside suites; null for an ungated stage (or none). */
    private static GateView view(StageDefinition stage, PipelineDefinition definition) {
        if (stage == null || stage.promotion() == PromotionMode.AUTO && stage.gates().equals(GateDefinition.NONE)) {
            return null;
        }
        ApprovalDefinition rule = stage.gates().approvals();
        // A hotfix in a freeze needs one approval from anyone named, so the people matter then too.
        boolean anyoneNamed = rule == null && !stage.gates().freeze().isEmpty() && stage.gates().hotfixLabel() != null;
        Set<String> approvers = new TreeSet<>();
        if (rule != null || anyoneNamed) {
            People people = definition.people();
            List<String> from = rule == null ? List.of() : rule.from();
            for (People.Person person : people.people().values()) {
                if (people.admits(from, person.name())) {
                    approvers.add(person.name() + " " + person.identities());
                }
            }
            for (String entry : from) {
                if (entry.contains(":") && people.personOf(entry).equals(entry)) {
                    approvers.add(entry);
                }
            }
        }
        return new GateView(stage.promotion(), stage.gates(), new ArrayList<>(approvers));
    }

    private record GateView(PromotionMode promotion, GateDefinition gates, List<String> approvers) {
    }
}
