package dev.promoter.rollback.history;

import dev.promoter.kit.page.Pages;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The history API's reads: a bounded window of one stage's deployment history by projection (plain rows of the
 * reactive client, no managed entities, nothing written), so a read costs the same with 10 moves as with 10 000:
 * the stage, its newest move, the rollback target (one indexed query answering {@link
 * dev.promoter.contracts.RollbackTarget}'s rule), the quarantine set and one page of moves. The verdict path keeps
 * its own reads.
 */
@ApplicationScoped
public class HistoryPages {

    private final Pool pool;

    HistoryPages(Pool pool) {
        this.pool = pool;
    }

    /** The stage as the history shows it. */
    public record StageRow(String application, String stage, String repository, String currentDigest,
                           boolean probed) {
    }

    /** One move of a page. */
    public record Move(long id, String digest, String rollbackOf, String reason, String actor, Instant movedAt,
                       Instant verdictAt, Instant healthyAt, Instant unhealthyAt, String evidence, String heldReason) {
    }

    /** The digest a rollback would choose now and the move that marks it, or null ids when none qualifies. */
    public record Target(Long moveId, String digest) {
    }

    private static final String MOVE_COLUMNS = "id, digest, rollback_of, reason, actor, moved_at, verdict_at,"
            + " healthy_at, unhealthy_at, evidence, held_reason";

    /** The stage, or null when the service never heard of it. */
    public Uni<StageRow> stage(String application, String stage) {
        return pool.preparedQuery("select repository, current_digest, health_url is not null as probed from stage"
                        + " where application = $1 and stage = $2")
                .execute(Tuple.of(application, stage)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new StageRow(application, stage, row.getString("repository"),
                            row.getString("current_digest"), row.getBoolean("probed"));
                });
    }

    /** The stage's newest move (what it runs now), or null before its first move. */
    public Uni<Move> newest(String application, String stage) {
        return moves(application, stage, 1, Long.MAX_VALUE)
                .map(found -> found.isEmpty() ? null : found.get(0));
    }

    /** Up to {@code limit} moves with ids below {@code below}, newest first. */
    public Uni<List<Move>> moves(String application, String stage, int limit, long below) {
        return pool.preparedQuery("select " + MOVE_COLUMNS + " from deployment where application = $1 and stage = $2"
                        + " and id < $3 order by id desc limit $4")
                .execute(Tuple.of(application, stage, below, limit)).map(rows -> {
                    List<Move> moves = new ArrayList<>();
                    rows.forEach(row -> moves.add(new Move(row.getLong("id"), row.getString("digest"),
                            row.getString("rollback_of"), row.getString("reason"), row.getString("actor"),
                            instant(row, "moved_at"), instant(row, "verdict_at"), instant(row, "healthy_at"),
                            instant(row, "unhealthy_at"), row.getString("evidence"), row.getString("held_reason"))));
                    return moves;
                });
    }

    /**
     * {@link dev.promoter.contracts.RollbackTarget}'s rule in one query: the newest move before {@code current}
     * whose digest is not the current one, was found healthy in some deployment of this stage and is not quarantined
     * here. An index on the healthy moves by digest (V420) keeps the check per candidate to one lookup.
     */
    public Uni<Target> target(String application, String stage, Move current) {
        if (current == null) {
            return Uni.createFrom().item(new Target(null, null));
        }
        return pool.preparedQuery("select t.id, t.digest from deployment t"
                        + " where t.application = $1 and t.stage = $2 and t.id < $3 and t.digest <> $4"
                        + DeploymentRepository.HEALTHY_HERE_AND_NOT_QUARANTINED
                        + " order by t.id desc limit 1")
                .execute(Tuple.of(application, stage, current.id(), current.digest())).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return new Target(null, null);
                    }
                    Row row = rows.iterator().next();
                    return new Target(row.getLong("id"), row.getString("digest"));
                });
    }

    /** The digests quarantined in the stage, sorted. */
    public Uni<Set<String>> quarantined(String application, String stage) {
        return pool.preparedQuery("select digest from quarantine where application = $1 and stage = $2")
                .execute(Tuple.of(application, stage)).map(rows -> {
                    Set<String> digests = new TreeSet<>();
                    rows.forEach(row -> digests.add(row.getString("digest")));
                    return digests;
                });
    }

    /** One page of the stage's history, newest first ({@link Pages#fetch(int)} rows asked for). */
    public Uni<Pages.Page<Move>> page(String application, String stage, int size, Long before) {
        return moves(application, stage, Pages.fetch(size), Pages.below(before))
                .map(found -> Pages.of(found, size, Move::id));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
