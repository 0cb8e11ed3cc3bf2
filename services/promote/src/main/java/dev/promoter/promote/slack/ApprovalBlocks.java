package dev.promoter.promote.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.contracts.Digest;
import dev.promoter.promote.promotion.PromotionRequest;
import dev.promoter.promote.promotion.PromotionPhase;

/**
 * The Block Kit message asking for an approval in Slack, and its later states: who approved, what remains, promoted,
 * rejected, lapsed or superseded. Buttons only while the request is open; Reject asks for confirmation.
 */
final class ApprovalBlocks {

    static final String APPROVE = "approve";
    static final String REJECT = "reject";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalBlocks() {
    }

    /** The notification text (Slack's fallback) of the request's current state. */
    static String text(PromotionRequest request) {
        String digest = Digest.parse(request.digest).shortForm();
        return switch (request.phase) {
            case WAITING -> request.application + " " + digest + " waits for approval to enter " + request.stage;
            case PROMOTED -> request.application + " " + digest + " was promoted into " + request.stage;
            case REJECTED -> request.application + " " + digest + " was rejected for " + request.stage;
            case LAPSED -> request.application + " " + digest + ": the approval request for " + request.stage + " lapsed";
            case SUPERSEDED -> request.application + " " + digest + ": the request for " + request.stage
                    + " was superseded by " + Digest.parse(request.supersededBy).shortForm();
        };
    }

    /**
     * {@code changes}: what changed since the stage's current digest, in words; {@code tests}: the test summary.
     */
    static ArrayNode blocks(PromotionRequest request, String current, String tests) {
        ArrayNode blocks = JSON.createArrayNode();
        String digest = Digest.parse(request.digest).shortForm();
        section(blocks, "*" + request.application + "* → *" + request.stage + "*: `" + digest + "`");
        StringBuilder facts = new StringBuilder();
        facts.append("*Commit:* ").append(request.commitId == null ? "unknown" : request.commitId.substring(0, Math.min(12, request.commitId.length())))
                .append(" by ").append(request.author == null ? "unknown" : request.author).append('\n');
        if (request.buildUrl != null) {
            facts.append("*Build:* <").append(request.buildUrl).append("|build log>\n");
        }
        facts.append("*Tests:* ").append(tests).append('\n');
        facts.append("*Changes:* ").append(current == null ? "first digest in " + request.stage
                : "replaces `" + Digest.parse(current).shortForm() + "` (" + (request.reason == null ? "" : request.reason) + ")");
        section(blocks, facts.toString());
        String status = request.phase == PromotionPhase.WAITING
                ? ":hourglass: " + request.explanation
                : switch (request.phase) {
                    case PROMOTED -> ":white_check_mark: promoted: " + request.explanation;
                    case REJECTED -> ":no_entry: " + request.explanation;
                    case LAPSED -> ":zzz: " + request.explanation;
                    default -> ":arrow_right_hook: " + request.explanation;
                };
        section(blocks, status);
        if (request.phase == PromotionPhase.WAITING) {
            ObjectNode actions = blocks.addObject().put("type", "actions").put("block_id", "decision");
            ArrayNode elements = actions.putArray("elements");
            String value = request.application + "|" + request.stage + "|" + request.digest;
            ObjectNode approve = elements.addObject().put("type", "button").put("action_id", APPROVE)
                    .put("style", "primary").put("value", value);
            approve.putObject("text").put("type", "plain_text").put("text", "Approve");
            ObjectNode reject = elements.addObject().put("type", "button").put("action_id", REJECT)
                    .put("style", "danger").put("value", value);
            reject.putObject("text").put("type", "plain_text").put("text", "Reject");
            ObjectNode confirm = reject.putObject("confirm");
            confirm.putObject("title").put("type", "plain_text").put("text", "Reject " + digest + "?");
            confirm.putObject("text").put("type", "plain_text")
                    .put("text", "It will not enter " + request.stage + " until someone asks again.");
            confirm.putObject("confirm").put("type", "plain_text").put("text", "Reject");
            confirm.putObject("deny").put("type", "plain_text").put("text", "Cancel");
            confirm.put("style", "danger");
        }
        return blocks;
    }

    private static void section(ArrayNode blocks, String markdown) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", markdown);
    }
}
