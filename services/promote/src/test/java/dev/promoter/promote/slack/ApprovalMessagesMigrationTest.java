package dev.promoter.promote.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.stack.PostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V410 moves the Slack approval messages into the library's durable outgoing calls and loses none. */
class ApprovalMessagesMigrationTest {

    @Test
    void owedMessagesBecomePendingCallsAndSentOnesSucceededInTheirOrder(@TempDir Path data)
            throws SQLException, IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (PostgresServer postgres = PostgresServer.start(data.resolve("postgres"), port, false)) {
            String database = "m_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            PostgresServer.createDatabase(postgres.jdbcUrl("postgres"), PostgresServer.USER, "", database);
            String url = postgres.jdbcUrl(database);
            flyway(url).target("300").load().migrate();
            try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
                 Statement sql = connection.createStatement()) {
                sql.execute("insert into promote.promotion_request (id, application, stage, digest, phase, reason,"
                        + " requested_at, requested_by, slack_channel, slack_ts) values (7, 'cart', 'prod', 'sha256:aa',"
                        + " 'WAITING', 'r', now(), 'pipeline', 'C0RELEASES', '1790000000.000100')");
                sql.execute("insert into promote.slack_message (request_id, text, blocks, attempts, next_attempt_at,"
                        + " sent_at, error) values"
                        + " (7, 'cart waits', '[{\"type\":\"section\"}]', 1, now() - interval '1 hour', now() - interval '1 hour', null),"
                        + " (7, 'cart approved', '[]', 3, now() + interval '4 seconds', null, 'ratelimited')");

                flyway(url).load().migrate();

                assertThat(column(sql, "select kind || ' ' || call_key || ' ' || status || ' ' || attempts || ' '"
                        + " || target || ' ' || digest from promote.durable_call order by id")).containsExactly(
                        "slack-approval request/7 SUCCEEDED 1 C0RELEASES sha256:aa",
                        "slack-approval request/7 PENDING 3 C0RELEASES sha256:aa");
                assertThat(column(sql, "select body from promote.durable_call order by id")).containsExactly(
                        "{\"text\" : \"cart waits\", \"blocks\" : [{\"type\":\"section\"}]}",
                        "{\"text\" : \"cart approved\", \"blocks\" : []}");
                assertThat(column(sql, "select last_outcome from promote.durable_call where status = 'PENDING'"))
                        .containsExactly("ratelimited");
                assertThat(column(sql, "select count(*) from pg_tables where tablename = 'slack_message'"))
                        .containsExactly("0");
            }
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url) {
        return Flyway.configure().dataSource(url, PostgresServer.USER, "").locations("classpath:db/migration")
                .schemas("promote").defaultSchema("promote").createSchemas(true).outOfOrder(true);
    }

    private static List<String> column(Statement sql, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
