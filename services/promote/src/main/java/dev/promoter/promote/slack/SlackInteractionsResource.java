package dev.promoter.promote.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.promote.approval.ApprovalService;
import dev.promoter.promote.config.PromoteConfig;
import dev.promoter.promote.promotion.PromotionDecision;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * {@code POST /slack/interactions}: the Approve and Reject clicks of the approval messages. The signature is checked
 * over the raw body before anything is read; the click is acknowledged at once (Slack gives three seconds) and
 * decided afterwards, with the same rules as the API. The clicker hears the outcome, or why they were refused, in
 * an ephemeral reply through the payload's {@code response_url}; everyone sees the message itself updated.
 */
@Path("/slack/interactions")
public class SlackInteractionsResource {

    private static final Logger LOG = Logger.getLogger(SlackInteractionsResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VIA = "slack";

    private final String signingSecret;
    private final ApprovalService approvals;
    private final SlackWebApi slack;

    SlackInteractionsResource(PromoteConfig config, ApprovalService approvals, SlackWebApi slack) {
        this.signingSecret = config.slack().signingSecret().orElse(null);
        this.approvals = approvals;
        this.slack = slack;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> interact(@HeaderParam("X-Slack-Request-Timestamp") String timestamp,
                             @HeaderParam("X-Slack-Signature") String signature, byte[] body) {
        String refusal = SlackSignature.refusal(signingSecret, timestamp, signature, body == null ? new byte[0] : body,
                Instant.now());
        if (refusal != null) {
            throw new ProblemException(401, "Unauthorized", "not a signed Slack request: " + refusal);
        }
        JsonNode payload = payload(body);
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asText();
        String[] target = action.path("value").asText().split("\\|", 3);
        String user = payload.path("user").path("id").asText();
        String responseUrl = payload.path("response_url").asText(null);
        if (!"block_actions".equals(payload.path("type").asText()) || target.length != 3 || user.isEmpty()
                || !(actionId.equals(ApprovalBlocks.APPROVE) || actionId.equals(ApprovalBlocks.REJECT))) {
            // Not one of our buttons: acknowledged, so Slack shows no error, and ignored.
            return Uni.createFrom().item(Response.ok().build());
        }
        boolean approve = actionId.equals(ApprovalBlocks.APPROVE);
        // Acknowledge now; the decision (database, registry) runs after, on this event loop, as Hibernate Reactive needs.
        approvals.decide(target[0], target[1], target[2], "slack:" + user, VIA,
                        approve ? PromotionDecision.Kind.APPROVE : PromotionDecision.Kind.REJECT, null)
                .onItem().transformToUni(outcome -> reply(responseUrl, (approve ? "You approved " : "You rejected ")
                        + shortDigest(target[2]) + " for " + target[1] + ": " + outcome.explanation()))
                .onFailure(ProblemException.class).recoverWithUni(failure -> reply(responseUrl, failure.getMessage()))
                .subscribe().with(ignored -> { }, failure -> LOG.warnf("Slack click of %s on %s %s failed: %s",
                        user, target[0], target[1], failure.getMessage()));
        return Uni.createFrom().item(Response.ok().build());
    }

    private Uni<Void> reply(String responseUrl, String text) {
        if (responseUrl == null) {
            return Uni.createFrom().voidItem();
        }
        ObjectNode message = JSON.createObjectNode().put("response_type", "ephemeral").put("replace_original", false)
                .put("text", text);
        return Uni.createFrom().completionStage(() -> slack.respond(URI.create(responseUrl), message))
                .onFailure().invoke(e -> LOG.warnf("could not answer through response_url: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static JsonNode payload(byte[] body) {
        String form = new String(body, StandardCharsets.UTF_8);
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                try {
                    return JSON.readTree(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IOException | IllegalArgumentException e) {
                    break;
                }
            }
        }
        throw ProblemException.badRequest("the body must be a form with a payload field holding JSON", java.util.List.of());
    }

    private static String shortDigest(String digest) {
        try {
            return dev.promoter.contracts.Digest.parse(digest).shortForm();
        } catch (RuntimeException e) {
            return digest;
        }
    }
}
