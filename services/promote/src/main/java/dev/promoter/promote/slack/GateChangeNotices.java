package dev.promoter.promote.slack;

import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.messaging.outgoing.OutgoingCalls;
import dev.promoter.messaging.outgoing.SlackNotices;
import dev.promoter.promote.definition.ApprovalDefinition;
import dev.promoter.promote.definition.DefinitionListener;
import dev.promoter.promote.definition.GateDefinition;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.definition.PromotionMode;
import dev.promoter.promote.definition.StageDefinition;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved revision changed the approval rules (or other gates) of some stages: each such stage's Slack channel is told
 * who changed them, in which revision, and the rules before and after, as a durable outgoing call queued in the save's
 * transaction (issue 15). Stages without a channel, and a promote without a Slack bot token, tell nobody.
 */
@ApplicationScoped
class GateChangeNotices implements DefinitionListener {

    private final OutgoingCalls calls;
    private final SlackWebApi slack;

    GateChangeNotices(OutgoingCalls calls, SlackWebApi slack) {
        this.calls = calls;
        this.slack = slack;
    }

    @Override
    public Uni<Void> gatesChanged(PipelineDefinition before, PipelineDefinition after, int revision,
                                  List<String> gatesChanged, String savedBy) {
        if (!slack.configured()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String name : gatesChanged) {
            StageDefinition old = before == null ? null : before.stage(name).orElse(null);
            StageDefinition now = after.stage(name).orElse(null);
            String channel = now != null && now.slackChannel() != null ? now.slackChannel()
                    : old == null ? null : old.slackChannel();
            if (channel == null) {
                continue;
            }
            String text = text(after.application(), name, revision, savedBy, old, now);
            chain = chain.chain(() -> calls.enqueue(SlackNotices.post(after.application() + "/" + name,
                    after.application(), name, null, channel, text)));
        }
        return chain;
    }

    /** The notice: who, which revision, the rules before → after. */
    static String text(String application, String stage, int revision, String savedBy, StageDefinition before,
                       StageDefinition after) {
        return ":memo: *" + savedBy + "* changed the approval rules of *" + application + "* in *" + stage
                + "* (revision " + revision + "): " + rules(before) + " → " + rules(after);
    }

    /** A stage's gates in a few words, approval rules first. */
    static String rules(StageDefinition stage) {
        if (stage == null) {
            return "none";
        }
        GateDefinition gates = stage.gates();
        List<String> parts = new ArrayList<>();
        ApprovalDefinition approvals = gates.approvals();
        if (approvals == null) {
            parts.add("no approvals");
        } else {
            parts.add(approvals.count() + (approvals.count() == 1 ? " approval" : " approvals") + " from "
                    + String.join(", ", approvals.from())
                    + (approvals.expiry() == null ? "" : " (valid " + approvals.expiry().toString()
                    .substring(2).toLowerCase() + ")"));
        }
        if (gates.soak() != null) {
            parts.add("soak " + gates.soak().toString().substring(2).toLowerCase());
        }
        if (!gates.freeze().isEmpty()) {
            parts.add(gates.freeze().size() + (gates.freeze().size() == 1 ? " freeze window" : " freeze windows"));
        }
        if (stage.promotion() == PromotionMode.MANUAL) {
            parts.add("manual promotion");
        }
        return String.join(", ", parts);
    }
}
