package dev.promoter.bench;

import dev.promoter.demo.PipelineApi;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario {@code history}: does a stage's cost grow with its history? Two applications, each with one stage
 * ({@code prod}) watched by the rollback service as {@link RollbackDriver} sets it up; one has {@link #LONG} recorded
 * moves behind its current deployment, the other {@link #SHORT}. Their rollback cycles alternate, one of each after
 * the other, and so do the reads of the first page of each stage's history in both services: the short history is
 * the floor, measured in the same run, under the same load.
 *
 * <p>The long history is written straight into the two services' tables before the application's first real move,
 * with the rows the services themselves write for such moves (a deployment row per move in each service; in promote
 * a {@code stage_health} row per digest found healthy; in both a quarantine row per digest that failed, followed by
 * the rollback move back to the digest before it). Only their ids are older than the stage's real moves, so every
 * read — the verdict path's, the history API's, promote's gates' — meets them as it would meet a real past. Making
 * 10 000 real moves through the pipeline would take about an hour on this machine and measure nothing more: what
 * grows with the history is what is read, not how it was written.
 */
final class HistoryLength {

    static final int LONG = 10_000;
    static final int SHORT = 10;
    static final int CYCLES = 40;
    static final int WARMUP = 2;
    static final int READS = 200;
    static final String LONG_PREFIX = "bench-history-long-";
    static final String SHORT_PREFIX = "bench-history-short-";

    /** What one run measured, per history length. */
    record Result(List<RollbackDriver.Sample> longCycles, List<RollbackDriver.Sample> shortCycles,
                  Map<String, List<Double>> longReads, Map<String, List<Double>> shortReads) {
    }

    private HistoryLength() {
    }

    /**
     * Writes {@code moves} past moves of {@code application}'s stage {@code prod} into promote's and the rollback
     * service's tables: every 100th a digest that failed and was quarantined, the next move a rollback to the digest
     * before it, every other digest found healthy there.
     */
    static void seed(String jdbcUrl, String application, int moves) throws SQLException {
        String digest = "'sha256:' || lpad(to_hex(%s), 64, '0')";
        String failed = "(g % 100 = 0)";
        String rollback = "(g % 100 = 1 and g > 1)";
        String movedAt = "(now() - interval '30 days' + g * interval '1 minute')";
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement statement = db.createStatement()) {
            try (PreparedStatement rows = db.prepareStatement("insert into rollback.deployment (application, stage,"
                    + " digest, rollback_of, reason, actor, chain_id, moved_at, verdict_at, healthy_at, unhealthy_at,"
                    + " evidence) select ?, 'prod',"
                    + " case when " + rollback + " then " + digest.formatted("g - 2") + " else " + digest.formatted("g") + " end,"
                    + " case when " + rollback + " then " + digest.formatted("g - 1") + " end,"
                    + " case when " + rollback + " then 'seeded rollback' else 'seeded promotion ' || g end,"
                    + " case when " + rollback + " then 'rollback' else 'bench' end, 'seed-' || g, " + movedAt + ","
                    + " case when " + rollback + " then " + movedAt + " - interval '10 millisecond' end,"
                    + " case when " + failed + " then null else " + movedAt + " + interval '1 second' end,"
                    + " case when " + failed + " then " + movedAt + " + interval '2 second' end,"
                    + " case when " + failed + " then 'seeded: health check failed' end"
                    + " from generate_series(1, ?) g")) {
                rows.setString(1, application);
                rows.setInt(2, moves);
                rows.executeUpdate();
            }
            try (PreparedStatement rows = db.prepareStatement("insert into promote.deployment (application, stage,"
                    + " digest, previous_digest, rollback_of, reason, actor, chain_id, moved_at) select ?, 'prod',"
                    + " case when " + rollback + " then " + digest.formatted("g - 2") + " else " + digest.formatted("g") + " end,"
                    + " case when g > 1 then " + digest.formatted("g - 1") + " end,"
                    + " case when " + rollback + " then " + digest.formatted("g - 1") + " end,"
                    + " case when " + rollback + " then 'seeded rollback' else 'seeded promotion ' || g end,"
                    + " case when " + rollback + " then 'rollback' else 'bench' end, 'seed-' || g, " + movedAt
                    + " from generate_series(1, ?) g")) {
                rows.setString(1, application);
                rows.setInt(2, moves);
                rows.executeUpdate();
            }
            try (PreparedStatement rows = db.prepareStatement("insert into promote.stage_health (application, stage,"
                    + " digest, healthy_at) select ?, 'prod', " + digest.formatted("g") + ", " + movedAt
                    + " + interval '1 second' from generate_series(1, ?) g where not " + failed + " and not " + rollback
                    + " on conflict do nothing")) {
                rows.setString(1, application);
                rows.setInt(2, moves);
                rows.executeUpdate();
            }
            for (String schema : List.of("rollback", "promote")) {
                try (PreparedStatement rows = db.prepareStatement("insert into " + schema + ".quarantine (application,"
                        + " stage, digest, reason, quarantined_at) select ?, 'prod', " + digest.formatted("g")
                        + ", 'seeded: health check failed', " + movedAt + " from generate_series(1, ?) g where "
                        + failed + " on conflict do nothing")) {
                    rows.setString(1, application);
                    rows.setInt(2, moves);
                    rows.executeUpdate();
                }
            }
            // Autovacuum analyses a table that grew this much within a minute; the run should not measure the minute
            // before it, when the planner still believes the tables empty.
            statement.execute("analyze rollback.deployment, rollback.quarantine, promote.deployment,"
                    + " promote.stage_health, promote.quarantine");
        }
    }

    /** A read: a service and a path on it. */
    record Read(URI service, String path) {
    }

    /** The history reads timed per application, in the order of the table. */
    static Map<String, Read> reads(PipelineApi api, String application) {
        Map<String, Read> reads = new LinkedHashMap<>();
        String stage = "/api/v1/applications/" + application + "/stages/" + RollbackDriver.STAGE + "/history";
        reads.put("rollback GET …/history (first page)", new Read(api.endpoints().rollback(), stage));
        reads.put("promote GET …/history (first page)", new Read(api.endpoints().promote(), stage));
        reads.put("promote GET /applications/{app} (each stage's first page)",
                new Read(api.endpoints().promote(), "/api/v1/applications/" + application));
        return reads;
    }

    /** Alternating cycles, then alternating reads; the first {@link #WARMUP} cycles of each are left out. */
    static Result measure(PipelineApi api, RollbackDriver longer, RollbackDriver shorter) {
        List<RollbackDriver.Sample> longCycles = new ArrayList<>();
        List<RollbackDriver.Sample> shortCycles = new ArrayList<>();
        for (int i = 0; i < CYCLES + WARMUP; i++) {
            // Which goes first alternates too, so neither always follows the other.
            RollbackDriver.Sample a = i % 2 == 0 ? longer.cycle() : shorter.cycle();
            RollbackDriver.Sample b = i % 2 == 0 ? shorter.cycle() : longer.cycle();
            if (i >= WARMUP) {
                (i % 2 == 0 ? longCycles : shortCycles).add(a);
                (i % 2 == 0 ? shortCycles : longCycles).add(b);
            }
        }
        Map<String, Read> longReads = reads(api, longer.application());
        Map<String, Read> shortReads = reads(api, shorter.application());
        Map<String, List<Double>> longMs = new LinkedHashMap<>();
        Map<String, List<Double>> shortMs = new LinkedHashMap<>();
        longReads.keySet().forEach(k -> {
            longMs.put(k, new ArrayList<>());
            shortMs.put(k, new ArrayList<>());
        });
        for (int i = -20; i < READS; i++) {
            for (String read : longReads.keySet()) {
                double l = timed(api, longReads.get(read));
                double s = timed(api, shortReads.get(read));
                if (i >= 0) {
                    longMs.get(read).add(l);
                    shortMs.get(read).add(s);
                }
            }
        }
        return new Result(longCycles, shortCycles, longMs, shortMs);
    }

    private static double timed(PipelineApi api, Read read) {
        long start = System.nanoTime();
        HttpResponse<String> response = api.get(read.service(), read.path());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + read.path() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return ms;
    }
}
