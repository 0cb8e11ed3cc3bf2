package dev.promoter.rollback.outgoing;

import dev.promoter.kit.slack.SlackWebApi;
import dev.promoter.messaging.Transactions;
import dev.promoter.rollback.config.RollbackConfig;
import dev.promoter.rollback.health.Contexts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import dev.promoter.kit.outbound.OutboundConfig;
import dev.promoter.kit.outbound.OutboundUrls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Delivers the queued outgoing calls: every {@code rollback.outgoing.sweep-interval}, and at once when one is queued.
 * A call is leased while it is sent, its outcome recorded after; a failed one is tried again with a doubling backoff up
 * to {@code rollback.outgoing.max-attempts}. Per stage and kind the calls go out in order, and a deploy hook the stage
 * has already moved past is superseded.
 */
@ApplicationScoped
public class OutgoingCallSweeper {

    private static final Logger LOG = Logger.getLogger(OutgoingCallSweeper.class);
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int BATCH = 20;
    private static final int MAX_OUTCOME = 300;

    private final Vertx vertx;
    private final Transactions transactions;
    private final Instance<OutgoingCalls> calls;
    private final SlackWebApi slack;
    private final RollbackConfig.Outgoing config;
    private final Map<String, String> secrets;
    private final HttpClient http;
    private final OutboundUrls outbound;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile long timerId = -1;
    private final MeterRegistry meters;

    OutgoingCallSweeper(Vertx vertx, Transactions transactions, Instance<OutgoingCalls> calls, SlackWebApi slack,
                        RollbackConfig config, OutboundConfig outbound, MeterRegistry meters) {
        this.meters = meters;
        this.vertx = vertx;
        this.outbound = outbound.urls();
        this.transactions = transactions;
        this.calls = calls;
        this.slack = slack;
        this.config = config.outgoing();
        this.secrets = config.deployHookSecrets();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(this.config.timeout()).build();
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> wake());
    }

    @PreDestroy
    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Sweeps shortly, once the transaction that queued a call has had time to commit. */
    public void wakeSoon() {
        vertx.setTimer(100, id -> wake());
    }

    /** Sweeps now (after the current transaction had time to commit), or right after the sweep in progress. */
    public void wake() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        Contexts.onFreshContext(vertx, this::sweep).subscribe().with(sent -> done(), failure -> {
            LOG.warnf("could not deliver outgoing calls: %s; trying again at the next sweep", failure.toString());
            done();
        });
    }

    private void done() {
        running.set(false);
        if (again.getAndSet(false)) {
            vertx.setTimer(50, id -> wake());
        }
    }

    /** One sweep: supersede, claim what is due, send each, record each outcome. */
    Uni<Integer> sweep() {
        Instant now = Instant.now();
        return transactions.inTransaction(() -> supersede(now).chain(() -> claim(now)))
                .chain(claimed -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (OutgoingCall call : claimed) {
                        chain = chain.chain(count -> send(call).chain(outcome -> record(call.id, outcome))
                                .replaceWith(count + 1));
                    }
                    return chain;
                });
    }

    private Uni<Integer> supersede(Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        update outgoing_call o set status = 'SUPERSEDED', finished_at = ?1,
                            last_outcome = 'superseded: the stage moved again before it was delivered'
                        where o.status = 'PENDING' and o.kind = 'deploy-hook'
                          and (o.lease_until is null or o.lease_until < ?1)
                          and exists (select 1 from outgoing_call n where n.application = o.application
                                      and n.stage = o.stage and n.kind = o.kind and n.id > o.id)""")
                .setParameter(1, now).executeUpdate());
    }

    private Uni<List<OutgoingCall>> claim(Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        select c.* from outgoing_call c
                        where c.status = 'PENDING' and c.next_attempt_at <= ?1
                          and (c.lease_until is null or c.lease_until < ?1)
                          and not exists (select 1 from outgoing_call o where o.application = c.application
                                          and o.stage = c.stage and o.kind = c.kind and o.status = 'PENDING'
                                          and o.id < c.id)
                        order by c.id limit ?2 for update skip locked""", OutgoingCall.class)
                .setParameter(1, now).setParameter(2, BATCH).getResultList()
                .invoke(claimed -> claimed.forEach(call -> call.leaseUntil = now.plus(LEASE))));
    }

    /** What came back from one attempt. */
    record Outcome(boolean succeeded, String description) {
    }

    private Uni<Outcome> send(OutgoingCall call) {
        // The HTTP clients complete on their own threads; the outcome is recorded back on this sweep's context.
        io.vertx.core.Context context = Vertx.currentContext();
        Uni<Outcome> sent = OutgoingCall.SLACK.equals(call.kind) ? postToSlack(call) : callHook(call);
        return sent.onFailure().recoverWithItem(failure -> new Outcome(false, describe(failure)))
                .emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private Uni<Outcome> callHook(OutgoingCall call) {
        byte[] body = call.body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.target)).timeout(config.timeout())
                .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                .header("X-Promoter-Delivery", String.valueOf(call.id))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (call.secretName != null) {
            String secret = secrets.get(call.secretName);
            if (secret == null || secret.isBlank()) {
                // Never sent unsigned when a signature was asked for.
                return Uni.createFrom().item(new Outcome(false, "not sent: the secret '" + call.secretName
                        + "' is not configured (ROLLBACK_DEPLOY_HOOK_SECRETS_" + call.secretName.toUpperCase()
                        .replace('-', '_') + ")"));
            }
            request.header(HookSignature.HEADER, HookSignature.of(secret, body));
        }
        // Checked at every attempt: a listed name may come to resolve to a metadata address.
        URI target = URI.create(call.target);
        return Uni.createFrom().completionStage(() -> outbound.refusalAsync(target, io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()))
                .chain(refusal -> refusal.isPresent()
                        ? Uni.createFrom().item(new Outcome(false, "not sent: "
                                + new OutboundUrls.RefusedUrlException(refusal.get()).getMessage()))
                        : Uni.createFrom().completionStage(() -> http.sendAsync(request.build(),
                                        HttpResponse.BodyHandlers.discarding()))
                                .map(response -> new Outcome(response.statusCode() / 100 == 2,
                                        "HTTP " + response.statusCode())));
    }

    private Uni<Outcome> postToSlack(OutgoingCall call) {
        if (!slack.configured()) {
            return Uni.createFrom().item(new Outcome(false, "not sent: no Slack bot token (PIPELINE_SLACK_BOT_TOKEN)"));
        }
        return Uni.createFrom().completionStage(() -> slack.postMessage(call.target, call.body, null))
                .map(posted -> new Outcome(true, "posted to " + posted.channel() + " at " + posted.ts()));
    }

    private Uni<Void> record(long id, Outcome outcome) {
        Instant at = Instant.now();
        return transactions.inTransaction(() -> calls.get().findById(id).invoke(call -> {
            if (call == null || !CallPhase.PENDING.name().equals(call.status)) {
                return;
            }
            call.attempted(at, outcome.succeeded(), truncate(outcome.description()), config.maxAttempts(),
                    backoff(call.attempts));
            if (outcome.succeeded()) {
                LOG.debugf("%s of %s/%s delivered: %s", call.kind, call.application, call.stage, call.lastOutcome);
            } else {
                meters.counter("pipeline.outgoing.call.failures", "kind", call.kind).increment();
                LOG.warnf("%s of %s/%s (%s), attempt %d: %s%s", call.kind, call.application, call.stage, call.target,
                        call.attempts, call.lastOutcome, CallPhase.FAILED.name().equals(call.status)
                                ? "; giving up" : "; trying again at " + call.nextAttemptAt);
            }
        })).replaceWithVoid();
    }

    private Duration backoff(int attemptsSoFar) {
        Duration delay = config.retryBackoff().multipliedBy(1L << Math.min(attemptsSoFar, 20));
        return delay.compareTo(config.maxRetryBackoff()) > 0 ? config.maxRetryBackoff() : delay;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof java.util.concurrent.CompletionException || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String truncate(String text) {
        return text.length() <= MAX_OUTCOME ? text : text.substring(0, MAX_OUTCOME) + "…";
    }
}
