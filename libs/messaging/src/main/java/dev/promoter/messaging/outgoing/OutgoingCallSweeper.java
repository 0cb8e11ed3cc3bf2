package dev.promoter.messaging.outgoing;

import dev.promoter.messaging.Contexts;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers the due outgoing calls of every kind this service has a {@link CallSender} for: on the Quarkus scheduler
 * every {@code pipeline.outgoing.sweep-interval}, and shortly after a call is queued. Several replicas sweep at once:
 * each claims what it sends in a short transaction ({@code FOR UPDATE SKIP LOCKED}) for {@code pipeline.outgoing.claim},
 * (or its kind's own {@link CallPolicy#claim}), so no call goes out twice and a crashed replica's claims are taken over
 * when they expire. Per kind and key the calls
 * go out in order: only the oldest pending one is claimed. Each attempt is recorded by the replica that still holds the
 * claim.
 */
@ApplicationScoped
public class OutgoingCallSweeper {

    private static final Logger LOG = Logger.getLogger(OutgoingCallSweeper.class);
    private static final int BATCH = 20;
    private static final int MAX_OUTCOME = 300;

    private final Pool pool;
    private final Vertx vertx;
    private final Map<String, CallSender> senders;
    private final Duration claim;
    private final MeterRegistry meters;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    OutgoingCallSweeper(Pool pool, Vertx vertx, @Any Instance<CallSender> senders, MeterRegistry meters,
                        @ConfigProperty(name = "pipeline.outgoing.claim", defaultValue = "60s") Duration claim) {
        this.pool = pool;
        this.vertx = vertx;
        this.meters = meters;
        this.claim = claim;
        this.senders = senders.stream().collect(Collectors.toMap(CallSender::kind, Function.identity()));
    }

    @Scheduled(every = "${pipeline.outgoing.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        wake();
    }

    /** Sweeps shortly, once the transaction that queued a call has had time to commit. */
    public void wakeSoon() {
        vertx.setTimer(100, id -> wake());
    }

    /** Sweeps now, or right after the sweep in progress. */
    public void wake() {
        if (senders.isEmpty()) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        Contexts.onFreshContext(vertx, this::sweep).subscribe().with(sent -> done(sent), failure -> {
            LOG.warnf("could not deliver outgoing calls: %s; trying again at the next sweep", failure.toString());
            done(0);
        });
    }

    private void done(int sent) {
        running.set(false);
        if (again.getAndSet(false) || sent == BATCH) {
            vertx.setTimer(20, id -> wake());
        }
    }

    Optional<CallSender> sender(String kind) {
        return Optional.ofNullable(senders.get(kind));
    }

    CallPolicy policy(String kind) {
        return sender(kind).orElseThrow(() -> new IllegalStateException("no CallSender for outgoing calls of kind "
                + kind)).policy();
    }

    /** One sweep: claims what is due, sends each call, records each attempt. Returns how many were claimed. */
    public Uni<Integer> sweep() {
        String claimer = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return claim(claimer, now).chain(claimed -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (OutgoingCall call : claimed) {
                chain = chain.chain(count -> send(call).chain(attempt -> record(claimer, call, attempt))
                        .replaceWith(count + 1));
            }
            return chain;
        });
    }

    private Uni<List<OutgoingCall>> claim(String claimer, Instant now) {
        // Each kind's own claim (CallPolicy.claim), or the service's: one array of kinds, one of their claims.
        String[] kinds = senders.keySet().toArray(new String[0]);
        Long[] claims = new Long[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            Duration own = senders.get(kinds[i]).policy().claim();
            claims[i] = (own == null ? claim : own).toMillis();
        }
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        update durable_call set claimed_by = $1,
                            claimed_until = $3::timestamptz + (select w.millis from unnest($4::text[], $2::bigint[]) as w(kind, millis)
                                                  where w.kind = durable_call.kind) * interval '1 millisecond'
                        where id in (
                            select c.id from durable_call c
                            where c.status = 'PENDING' and c.next_attempt_at <= $3 and c.kind = any($4)
                              and (c.claimed_until is null or c.claimed_until < $3)
                              and not exists (select 1 from durable_call o where o.kind = c.kind
                                              and o.call_key = c.call_key and o.status = 'PENDING' and o.id < c.id)
                            order by c.id limit $5 for update skip locked)
                        returning\s""" + OutgoingCall.COLUMNS)
                .execute(Tuple.from(List.of(claimer, claims, now.atOffset(ZoneOffset.UTC), kinds, BATCH)))
                .map(rows -> OutgoingCalls.calls(rows).stream()
                        .sorted(java.util.Comparator.comparingLong(OutgoingCall::id)).toList()));
    }

    private Uni<Attempt> send(OutgoingCall call) {
        // Senders may complete on their own threads; the attempt is recorded back on this sweep's context.
        io.vertx.core.Context context = Vertx.currentContext();
        Uni<Attempt> sent;
        try {
            sent = senders.get(call.kind()).send(call);
        } catch (RuntimeException e) {
            sent = Uni.createFrom().failure(e);
        }
        return sent.onFailure().recoverWithItem(failure -> Attempt.unavailable(describe(failure)))
                .emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private Uni<Void> record(String claimer, OutgoingCall call, Attempt attempt) {
        CallSender sender = senders.get(call.kind());
        Instant at = Instant.now();
        return pool.withTransaction(connection -> connection.preparedQuery(
                                "select attempts from durable_call where id = $1 and claimed_by = $2 and status = 'PENDING'"
                                        + " for update")
                        .execute(Tuple.of(call.id(), claimer))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                // Its claim expired and another sweeper took it over, or a person changed it meanwhile.
                                LOG.warnf("%s call %d: attempt not recorded, the call was taken over meanwhile (%s)",
                                        call.kind(), call.id(), attempt.outcome());
                                return Uni.createFrom().voidItem();
                            }
                            AfterAttempt after = AfterAttempt.of(rows.iterator().next().getInteger("attempts"),
                                    sender.policy(), attempt, at);
                            String line = truncate(after.logLine());
                            return connection.preparedQuery("""
                                            update durable_call set status = $2, attempts = $3, next_attempt_at = $4,
                                                finished_at = $5, last_outcome = $6, result = coalesce($7, result),
                                                claimed_by = null, claimed_until = null,
                                                attempt_log = attempt_log || case when attempt_log = '' then '' else E'\\n' end || $8
                                            where id = $1 returning\s""" + OutgoingCall.COLUMNS)
                                    .execute(Tuple.tuple().addValue(call.id()).addValue(after.status().name())
                                            .addValue(after.attempts()).addValue(after.nextAttemptAt().atOffset(ZoneOffset.UTC))
                                            .addValue(after.finishedAt() == null ? null : after.finishedAt().atOffset(ZoneOffset.UTC))
                                            .addValue(truncate(attempt.outcome())).addValue(attempt.result()).addValue(line))
                                    .map(updated -> OutgoingCall.of(updated.iterator().next()))
                                    .invoke(updated -> log(updated, after))
                                    .chain(updated -> sender.recorded(connection, updated, attempt));
                        }));
    }

    private void log(OutgoingCall call, AfterAttempt after) {
        if (after.status() == CallPhase.SUCCEEDED) {
            LOG.debugf("%s call %d about %s delivered: %s", call.kind(), call.id(), call.key(), call.lastOutcome());
            return;
        }
        meters.counter("pipeline.outgoing.call.failures", "kind", call.kind()).increment();
        LOG.warnf("%s call %d about %s (%s), attempt %d: %s%s", call.kind(), call.id(), call.key(), call.target(),
                call.attempts(), call.lastOutcome(), after.status() == CallPhase.FAILED
                        ? "; FAILED, listed at /api/v1/outgoing-calls?status=FAILED for a retry"
                        : "; trying again at " + after.nextAttemptAt());
    }

    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_OUTCOME ? text : text.substring(0, MAX_OUTCOME) + "…";
    }
}
