package dev.promoter.promote.history;

import dev.promoter.kit.page.Pages;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The read views' window on a stage's deployment history, by projection (plain rows of the reactive client, no
 * managed entities, nothing written), so a read costs the same with 10 moves as with 10 000: the stage's newest
 * move, the rollback target (one indexed query answering {@link dev.promoter.contracts.RollbackTarget}'s rule with
 * the digests found healthy here) and one page of moves. Gates and the promotion path keep their own reads.
 */
@ApplicationScoped
public class HistoryPages {

    private static final String COLUMNS = "id, digest, previous_digest, rollback_of, reason, actor, moved_at, evidence";

    private final Pool pool;

    HistoryPages(Pool pool) {
        this.pool = pool;
    }

    /** The rollback target of a stage and the move that marks it; both null when none qualifies. */
    public record Target(Long moveId, String digest) {
    }

    /** What a page of a stage's history needs: its newest move, the rollback target and the page of moves. */
    public record Window(Deployment current, Target target, Pages.Page<Deployment> page) {
    }

    /** The stage's newest move, its rollback target and one page of moves ({@code size}, below {@code before}). */
    public Uni<Window> window(String application, String stage, int size, Long before) {
        return moves(application, stage, 1, Long.MAX_VALUE).chain(newest -> {
            Deployment current = newest.isEmpty() ? null : newest.get(0);
            return target(application, stage, current).chain(target -> moves(application, stage, Pages.fetch(size),
                    Pages.below(before)).map(found -> new Window(current, target, Pages.of(found, size, d -> d.id))));
        });
    }

    /** Up to {@code limit} moves with ids below {@code below}, newest first, as detached rows. */
    Uni<List<Deployment>> moves(String application, String stage, int limit, long below) {
        return pool.preparedQuery("select " + COLUMNS + " from deployment where application = $1 and stage = $2"
                        + " and id < $3 order by id desc limit $4")
                .execute(Tuple.of(application, stage, below, limit)).map(rows -> {
                    List<Deployment> moves = new ArrayList<>();
                    rows.forEach(row -> moves.add(move(application, stage, row)));
                    return moves;
                });
    }

    /**
     * {@link dev.promoter.contracts.RollbackTarget}'s rule in one query: the newest move before the current one
     * whose digest is not the current one, was found healthy here ({@code stage_health}) and is not quarantined here.
     */
    Uni<Target> target(String application, String stage, Deployment current) {
        if (current == null) {
            return Uni.createFrom().item(new Target(null, null));
        }
        return pool.preparedQuery("""
                        select d.id, d.digest from deployment d
                        where d.application = $1 and d.stage = $2 and d.id < $3 and d.digest <> $4
                          and exists (select 1 from stage_health h where h.application = d.application
                                      and h.stage = d.stage and h.digest = d.digest)
                          and not exists (select 1 from quarantine q where q.application = d.application
                                          and q.stage = d.stage and q.digest = d.digest)
                        order by d.id desc limit 1""")
                .execute(Tuple.of(application, stage, current.id, current.digest)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return new Target(null, null);
                    }
                    Row row = rows.iterator().next();
                    return new Target(row.getLong("id"), row.getString("digest"));
                });
    }

    private static Deployment move(String application, String stage, Row row) {
        Deployment d = new Deployment();
        d.id = row.getLong("id");
        d.application = application;
        d.stage = stage;
        d.digest = row.getString("digest");
        d.previousDigest = row.getString("previous_digest");
        d.rollbackOf = row.getString("rollback_of");
        d.reason = row.getString("reason");
        d.actor = row.getString("actor");
        OffsetDateTime movedAt = row.getOffsetDateTime("moved_at");
        d.movedAt = movedAt == null ? null : movedAt.toInstant();
        d.evidence = row.getString("evidence");
        return d;
    }
}
