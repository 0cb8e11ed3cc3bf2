package dev.promoter.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.messaging.Retention;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Sent outbox rows and inbox rows older than the retention period go, in batches; nothing else does. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RetentionTest {

    @Inject
    Retention retention;

    @Test
    void sentOutboxRowsAndInboxRowsOlderThanSevenDaysArePrunedAndNothingElse() throws SQLException {
        // The unsent row is real work for the relay: it publishes it to a topic of this test class.
        String topic = ConfigProvider.getConfig().getOptionalValue("pipeline.topic-prefix", String.class).orElse("")
                + "retention-test";
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute(("insert into outbox_event (event_id, topic, record_key, payload, headers, created_at, sent_at) values"
                    + " ('old-sent', '%1$s', 'k', ''::bytea, '{}', now() - interval '9 days', now() - interval '8 days'),"
                    + " ('new-sent', '%1$s', 'k', ''::bytea, '{}', now() - interval '1 day', now() - interval '6 days 23 hours'),"
                    + " ('old-unsent', '%1$s', 'k', ''::bytea, '{}', now() - interval '30 days', null)").formatted(topic));
            // More than one batch of old inbox rows.
            sql.execute("insert into inbox (consumer, event_id, received_at)"
                    + " select 'retention-test', 'old-' || n, now() - interval '8 days' from generate_series(1, 2500) n");
            sql.execute("insert into inbox (consumer, event_id, received_at) values ('retention-test', 'recent', now())");

            long pruned = retention.prune().await().indefinitely();

            assertThat(pruned).isEqualTo(2501);
            assertThat(ids(sql, "select event_id from outbox_event where event_id in ('old-sent', 'new-sent', 'old-unsent')"))
                    .containsExactlyInAnyOrder("new-sent", "old-unsent");
            assertThat(ids(sql, "select event_id from inbox where consumer = 'retention-test'")).containsExactly("recent");
        }
    }

    private static java.util.List<String> ids(Statement sql, String query) throws SQLException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (var rows = sql.executeQuery(query)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), "");
        try (Statement sql = db.createStatement()) {
            sql.execute("set search_path to " + config.getValue("quarkus.flyway.default-schema", String.class));
        }
        return db;
    }
}
