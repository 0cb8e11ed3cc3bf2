package dev.promoter.messaging.outgoing;

import dev.promoter.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue of this service's outgoing calls: {@link #enqueue} writes a call in the caller's transaction (so
 * it exists exactly when the change it is about does); the {@link OutgoingCallSweeper} delivers it; people list the
 * calls and give a FAILED one a new round of attempts.
 */
@ApplicationScoped
public class OutgoingCalls {

    private final Pool pool;
    private final OutgoingCallSweeper sweeper;

    OutgoingCalls(Pool pool, OutgoingCallSweeper sweeper) {
        this.pool = pool;
        this.sweeper = sweeper;
    }

    /**
     * Queues the call in the current Hibernate Reactive transaction; for a kind whose policy supersedes, the pending
     * calls of the same kind and key that no sweeper holds right now become SUPERSEDED. The sweeper is woken shortly
     * after, once the transaction had time to commit (and its periodic sweep finds the call anyway).
     */
    public Uni<Void> enqueue(NewCall call) {
        return enqueue(call, Instant.now());
    }

    /**
     * Queues the call as {@link #enqueue(NewCall)} does, due at {@code due} rather than at once: work owed at a time
     * (a deadline), swept like every other call when it comes.
     */
    public Uni<Void> enqueue(NewCall call, Instant due) {
        Instant now = Instant.now();
        boolean supersede = sweeper.policy(call.kind()).supersede();
        return Panache.getSession().chain(session -> (supersede
                        ? session.createNativeQuery("""
                                update durable_call set status = 'SUPERSEDED', finished_at = ?1,
                                    last_outcome = 'superseded: a newer call took its place before it was delivered'
                                where kind = ?2 and call_key = ?3 and status = 'PENDING'
                                  and (claimed_until is null or claimed_until < ?1)""")
                                .setParameter(1, now).setParameter(2, call.kind()).setParameter(3, call.key())
                                .executeUpdate()
                        : Uni.createFrom().item(0))
                .chain(() -> session.createNativeQuery("""
                                insert into durable_call (kind, call_key, application, stage, digest, target, secret_name,
                                    body, status, attempts, next_attempt_at, created_at)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'PENDING', 0, ?9, ?10)""")
                        .setParameter(1, call.kind()).setParameter(2, call.key()).setParameter(3, call.application())
                        .setParameter(4, call.stage()).setParameter(5, call.digest()).setParameter(6, call.target())
                        .setParameter(7, call.secretName()).setParameter(8, call.body())
                        .setParameter(9, due.isBefore(now) ? now : due).setParameter(10, now)
                        .executeUpdate()))
                .invoke(() -> {
                    if (!due.isAfter(now)) {
                        sweeper.wakeSoon();
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Whether a call of the kind and key was ever queued, read in the current Hibernate Reactive transaction (so it sees
     * the calls that transaction queued).
     */
    public Uni<Boolean> queued(String kind, String key) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select count(*) from durable_call where kind = ?1 and call_key = ?2", Long.class)
                .setParameter(1, kind).setParameter(2, key).getSingleResult())
                .map(count -> count > 0);
    }

    /** Calls newest first, below {@code before} (an id), of one status or all. */
    public Uni<List<OutgoingCall>> list(Optional<CallPhase> status, int limit, long before) {
        return pool.preparedQuery("select " + OutgoingCall.COLUMNS + " from durable_call where id < $1"
                        + " and ($2::text is null or status = $2) order by id desc limit $3")
                .execute(Tuple.of(before, status.map(Enum::name).orElse(null), limit))
                .map(OutgoingCalls::calls);
    }

    /** The newest {@code limit} calls about one stage of an application, newest first. */
    public Uni<List<OutgoingCall>> ofStage(String application, String stage, int limit) {
        return pool.preparedQuery("select " + OutgoingCall.COLUMNS + " from durable_call where application = $1"
                        + " and stage = $2 order by id desc limit $3")
                .execute(Tuple.of(application, stage, limit))
                .map(OutgoingCalls::calls);
    }

    /** The calls of one kind and key, oldest first. */
    public Uni<List<OutgoingCall>> ofKey(String kind, String key) {
        return pool.preparedQuery("select " + OutgoingCall.COLUMNS + " from durable_call where kind = $1"
                        + " and call_key = $2 order by id")
                .execute(Tuple.of(kind, key))
                .map(OutgoingCalls::calls);
    }

    /**
     * Gives a FAILED call a new round of attempts, recorded in its log with who asked: 404 for no such call, 409 when
     * it is not FAILED, or when its kind supersedes and a newer call of its key exists (that one carries the newer
     * state; retrying this one would send an older one).
     */
    public Uni<OutgoingCall> retry(long id, String by) {
        Instant now = Instant.now();
        return pool.withTransaction(connection -> connection
                        .preparedQuery("select " + OutgoingCall.COLUMNS + " from durable_call where id = $1 for update")
                        .execute(Tuple.of(id))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                throw ProblemException.notFound("no outgoing call " + id);
                            }
                            OutgoingCall call = OutgoingCall.of(rows.iterator().next());
                            if (call.status() != CallPhase.FAILED) {
                                throw new ProblemException(409, "Not failed", "outgoing call " + id + " is "
                                        + call.status() + "; only a FAILED call is retried");
                            }
                            return newer(connection, call).chain(newer -> {
                                if (newer) {
                                    throw new ProblemException(409, "Superseded", "a newer " + call.kind()
                                            + " call about " + call.key() + " exists; retrying this one would send"
                                            + " an older state");
                                }
                                String line = "retried by " + by + " at " + now + " after " + call.attempts() + " attempts";
                                return connection.preparedQuery("update durable_call set status = 'PENDING', attempts = 0,"
                                                + " next_attempt_at = $2, claimed_by = null, claimed_until = null,"
                                                + " finished_at = null, attempt_log = attempt_log"
                                                + " || case when attempt_log = '' then '' else E'\\n' end || $3"
                                                + " where id = $1 returning " + OutgoingCall.COLUMNS)
                                        .execute(Tuple.of(id, now.atOffset(ZoneOffset.UTC), line))
                                        .map(updated -> OutgoingCall.of(updated.iterator().next()))
                                        .call(retried -> sweeper.sender(retried.kind())
                                                .map(sender -> sender.retried(connection, retried))
                                                .orElseGet(() -> Uni.createFrom().voidItem()));
                            });
                        }))
                .invoke(sweeper::wakeSoon);
    }

    private Uni<Boolean> newer(io.vertx.mutiny.sqlclient.SqlConnection connection, OutgoingCall call) {
        if (!sweeper.policy(call.kind()).supersede()) {
            return Uni.createFrom().item(false);
        }
        return connection.preparedQuery("select count(*) from durable_call where kind = $1 and call_key = $2 and id > $3")
                .execute(Tuple.of(call.kind(), call.key(), call.id()))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    static List<OutgoingCall> calls(RowSet<Row> rows) {
        List<OutgoingCall> calls = new ArrayList<>();
        rows.forEach(row -> calls.add(OutgoingCall.of(row)));
        return calls;
    }
}
