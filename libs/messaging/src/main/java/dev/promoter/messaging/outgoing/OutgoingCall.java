package dev.promoter.messaging.outgoing;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** One queued call as stored, with its attempts so far. */
public record OutgoingCall(long id, String kind, String key, String application, String stage, String digest,
                           String target, String secretName, String body, CallPhase status, int attempts,
                           String lastOutcome, String result, String attemptLog, Instant createdAt,
                           Instant finishedAt) {

    static final String COLUMNS = "id, kind, call_key, application, stage, digest, target, secret_name, body, status,"
            + " attempts, last_outcome, result, attempt_log, created_at, finished_at";

    static OutgoingCall of(Row row) {
        return new OutgoingCall(row.getLong("id"), row.getString("kind"), row.getString("call_key"),
                row.getString("application"), row.getString("stage"), row.getString("digest"),
                row.getString("target"), row.getString("secret_name"), row.getString("body"),
                CallPhase.valueOf(row.getString("status")), row.getInteger("attempts"), row.getString("last_outcome"),
                row.getString("result"), row.getString("attempt_log"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("finished_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
