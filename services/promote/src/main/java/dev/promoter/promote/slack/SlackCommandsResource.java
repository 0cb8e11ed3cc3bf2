package dev.promoter.promote.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promoter.kit.problem.ProblemException;
import dev.promoter.promote.config.PromoteConfig;
import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.stop.LineStops;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /slack/commands}: the {@code /promoter} slash command. {@code /promoter stop-the-line [app] reason}
 * stops the line of the application (when the first word names one) or of every application;
 * {@code /promoter resume [app]} resumes it. Signed like the buttons (checked over the raw body before anything is
 * read); only the Slack users of {@code promote.slack.operators} may use it (the operator role in Slack). It acts at
 * once (a database transaction, well within Slack's three seconds) and answers in the response body: in the channel
 * when the line stopped or resumed, to the caller alone when refused.
 */
@Path("/slack/commands")
public class SlackCommandsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VIA = "slack";
    static final String USAGE = "usage: /promoter stop-the-line [application] reason | /promoter resume [application]";

    private final String signingSecret;
    private final Set<String> operators;
    private final LineStops stops;
    private final DefinitionService definitions;

    SlackCommandsResource(PromoteConfig config, LineStops stops, DefinitionService definitions) {
        this.signingSecret = config.slack().signingSecret().orElse(null);
        this.operators = Set.copyOf(config.slack().operators().orElse(List.of()));
        this.stops = stops;
        this.definitions = definitions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<ObjectNode> command(@HeaderParam("X-Slack-Request-Timestamp") String timestamp,
                                   @HeaderParam("X-Slack-Signature") String signature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        String refusal = SlackSignature.refusal(signingSecret, timestamp, signature, raw, Instant.now());
        if (refusal != null) {
            throw new ProblemException(401, "Unauthorized", "not a signed Slack request: " + refusal);
        }
        Map<String, String> form = form(new String(raw, StandardCharsets.UTF_8));
        String user = form.getOrDefault("user_id", "");
        String[] words = form.getOrDefault("text", "").strip().split("\\s+", 2);
        String verb = words[0];
        String rest = words.length > 1 ? words[1].strip() : "";
        if (user.isEmpty() || !(verb.equals("stop-the-line") || verb.equals("resume"))) {
            return Uni.createFrom().item(ephemeral(USAGE));
        }
        if (!operators.contains(user)) {
            return Uni.createFrom().item(ephemeral("you may not stop or resume the line: it needs the operator role"
                    + " (promote.slack.operators)"));
        }
        String identity = "slack:" + user;
        Uni<ObjectNode> answer;
        if (verb.equals("resume")) {
            String application = rest.isEmpty() ? null : rest.split("\\s+")[0];
            answer = stops.resume(application, identity, VIA).map(stop -> inChannel("<@" + user + "> resumed the line of "
                    + (application == null ? "every application" : application) + " (stopped by " + stop.stoppedBy()
                    + ": " + stop.reason() + "); held promotions go on"));
        } else {
            String[] first = rest.split("\\s+", 2);
            answer = definitions.find(first[0]).chain(definition -> {
                String application = definition == null ? null : first[0];
                String reason = definition == null ? rest : first.length > 1 ? first[1].strip() : "";
                if (reason.isEmpty()) {
                    return Uni.createFrom().item(ephemeral("say why the line stops; " + USAGE));
                }
                return stops.stop(application, reason, identity, VIA).map(stop -> inChannel("<@" + user
                        + "> stopped the line of " + (application == null ? "every application" : application) + ": "
                        + stop.reason() + ". Nothing is promoted until `/promoter resume"
                        + (application == null ? "" : " " + application) + "`; rollbacks go on."));
            });
        }
        return answer.onFailure(ProblemException.class).recoverWithItem(failure -> ephemeral(failure.getMessage()));
    }

    private static ObjectNode ephemeral(String text) {
        return JSON.createObjectNode().put("response_type", "ephemeral").put("text", text);
    }

    private static ObjectNode inChannel(String text) {
        return JSON.createObjectNode().put("response_type", "in_channel").put("text", text);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("the body must be a form", List.of());
                }
            }
        }
        return fields;
    }
}
