package dev.promoter.promote.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.promoter.kit.blocking.Blocking;
import dev.promoter.kit.slack.SlackApiException;
import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.messaging.Transactions;
import dev.promoter.promote.promotion.GateRepositories;
import io.quarkus.scheduler.Scheduled;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers owed Slack messages in order: a request's first message with {@code chat.postMessage} (keeping the
 * channel id and ts Slack answers with), every later one with {@code chat.update} of that message. A refusal or
 * outage is retried with backoff (Slack's Retry-After when it gives one); a message is marked sent in the
 * transaction that records its ts, so a retry after a failed call cannot post it twice. Several replicas send at once:
 * each claims the due messages it sends (a short transaction, {@code FOR UPDATE SKIP LOCKED}, a claim that expires
 * after {@link #CLAIM}), so no message goes out twice and a crashed replica's claims are taken over.
 */
@ApplicationScoped
public class SlackSender {

    private static final Logger LOG = Logger.getLogger(SlackSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PER_TICK = 10;
    /** How long a claimed message is left alone by other senders: longer than one Slack call may take (30 s). */
    static final Duration CLAIM = Duration.ofSeconds(60);

    private final Transactions transactions;
    private final ApprovalMessages messages;
    private final GateRepositories.Requests requests;
    private final SlackWebApi slack;
    private final MeterRegistry meters;

    SlackSender(Transactions transactions, ApprovalMessages messages, GateRepositories.Requests requests, SlackWebApi slack,
                MeterRegistry meters) {
        this.meters = meters;
        this.transactions = transactions;
        this.messages = messages;
        this.requests = requests;
        this.slack = slack;
    }

    @Scheduled(every = "${promote.slack.send-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        if (!slack.configured()) {
            return Uni.createFrom().voidItem();
        }
        return transactions.inTransaction(this::claimDue)
                .chain(this::sendAll)
                .onFailure().invoke(e -> LOG.warnf("sending Slack messages failed, next tick retries: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Claims up to {@link #PER_TICK} due messages no other sender holds; rows another one locked are skipped. */
    private Uni<List<Long>> claimDue() {
        Instant now = Instant.now();
        return messages.getSession().chain(session -> session.createNativeQuery("""
                        update slack_message set claimed_until = ?1 where id in (select id from slack_message
                            where sent_at is null and next_attempt_at <= ?2 and (claimed_until is null or claimed_until < ?2)
                            order by id limit ?3 for update skip locked) returning id""", Long.class)
                .setParameter(1, now.plus(CLAIM))
                .setParameter(2, now)
                .setParameter(3, PER_TICK)
                .getResultList())
                .map(ids -> ids.stream().sorted().toList());
    }

    private Uni<Void> sendAll(List<Long> ids) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Long id : ids) {
            chain = chain.chain(() -> send(id));
        }
        return chain;
    }

    private Uni<Void> send(Long id) {
        return transactions.inTransaction(() -> messages.findById(id).chain(message -> {
            if (message == null || message.sentAt != null) {
                return Uni.createFrom().voidItem();
            }
            // Sent by this sender only; the claim ends with this transaction's outcome, whatever it is.
            message.claimedUntil = null;
            return requests.findById(message.requestId).chain(request ->
                    // An earlier message of the same request not sent yet goes first: updates stay in order.
                    messages.count("requestId = ?1 and sentAt is null and id < ?2", message.requestId, message.id)
                            .chain(earlier -> {
                                if (earlier > 0) {
                                    return Uni.createFrom().voidItem();
                                }
                                JsonNode blocks = readTree(message.blocks);
                                return Blocking.call(() -> {
                                            var stage = request.slackTs == null
                                                    ? slack.postMessage(request.slackChannel, message.text, blocks)
                                                    : slack.update(new SlackWebApi.PostedMessage(request.slackChannel, request.slackTs),
                                                            message.text, blocks);
                                            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
                                        })
                                        .invoke(posted -> {
                                            request.slackChannel = posted.channel();
                                            request.slackTs = posted.ts();
                                            message.sentAt = Instant.now();
                                            message.attempts++;
                                            message.error = null;
                                        })
                                        .onFailure().recoverWithItem(failure -> {
                                            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                                            message.attempts++;
                                            message.error = cause.getMessage();
                                            meters.counter("pipeline.outgoing.call.failures", "kind", "slack").increment();
                                            Duration wait = cause instanceof SlackApiException slackError && slackError.retryAfter().isPresent()
                                                    ? slackError.retryAfter().get()
                                                    : Duration.ofSeconds(Math.min(300, 1L << Math.min(8, message.attempts)));
                                            message.nextAttemptAt = Instant.now().plus(wait);
                                            LOG.warnf("Slack message %d not delivered (attempt %d), retrying in %s: %s",
                                                    message.id, message.attempts, wait, message.error);
                                            return null;
                                        })
                                        .replaceWithVoid();
                            }));
        }));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored blocks are JSON", e);
        }
    }
}
