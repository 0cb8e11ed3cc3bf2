package dev.promoter.messaging.outgoing;

import dev.promoter.kit.slack.SlackApiException;
import dev.promoter.kit.slack.SlackWebApi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Posts plain-text Slack notices ({@code chat.postMessage}, mrkdwn) to a channel: the body is the text. Slack's
 * Retry-After is honoured; a refusal a retry will not change ({@link #attemptOf}) ends the notice FAILED at once;
 * without a bot token a notice waits (an outage of configuration, not a reason to drop it) until its attempt limit, {@code pipeline.outgoing.slack.max-attempts} (0: no limit).
 */
@ApplicationScoped
public class SlackNotices implements CallSender {

    public static final String KIND = "slack";

    private final SlackWebApi slack;
    private final CallPolicy policy;

    SlackNotices(SlackWebApi slack,
                 @ConfigProperty(name = "pipeline.outgoing.slack.max-attempts", defaultValue = "8") int maxAttempts,
                 @ConfigProperty(name = "pipeline.outgoing.slack.first-wait", defaultValue = "1s") Duration firstWait,
                 @ConfigProperty(name = "pipeline.outgoing.slack.max-wait", defaultValue = "5m") Duration maxWait) {
        this.slack = slack;
        this.policy = new CallPolicy(maxAttempts, firstWait, maxWait, false);
    }

    /** A notice to post to {@code channel}; notices of one {@code key} are posted in order. */
    public static NewCall post(String key, String application, String stage, String digest, String channel,
                               String text) {
        return new NewCall(KIND, key, application, stage, digest, channel, null, text);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CallPolicy policy() {
        return policy;
    }

    @Override
    public Uni<Attempt> send(OutgoingCall call) {
        if (!slack.configured()) {
            return Uni.createFrom().item(Attempt.unavailable("not sent: no Slack bot token (PIPELINE_SLACK_BOT_TOKEN)"));
        }
        return Uni.createFrom().completionStage(() -> slack.postMessage(call.target(), call.body(), null))
                .map(posted -> Attempt.delivered("posted to " + posted.channel() + " at " + posted.ts(),
                        posted.channel() + " " + posted.ts()))
                .onFailure(SlackApiException.class).recoverWithItem(failure -> attemptOf((SlackApiException) failure));
    }

    /**
     * Slack's answers a retry will not change without a person fixing something first (the channel, the bot's
     * membership or token, the message): such a call ends FAILED at once, listed for a retry. Every other error
     * (rate limits, 5xx, Slack's own internal errors, no token configured yet) only delays it.
     */
    static final Set<String> REFUSALS = Set.of("channel_not_found", "not_in_channel", "is_archived",
            "channel_is_archived", "invalid_auth", "not_authed", "account_inactive", "token_revoked", "missing_scope",
            "restricted_action", "invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text",
            "message_not_found", "cant_update_message", "edit_window_closed");

    /** What one refused Web API call comes to for an outgoing call: delayed (with Slack's Retry-After) or refused. */
    public static Attempt attemptOf(SlackApiException refused) {
        if (REFUSALS.contains(refused.error())) {
            return Attempt.refused(refused.getMessage());
        }
        return refused.retryAfter().map(wait -> Attempt.unavailable(refused.getMessage(), wait))
                .orElseGet(() -> Attempt.unavailable(refused.getMessage()));
    }
}
