package dev.promoter.test.suite;

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

/** V410 gives every pending suite run its durable call, due when the run was, and keeps the runs. */
class DueSuitesMigrationTest {

    @Test
    void everyPendingRunGetsACallDueWhenItWasAndStaysPending(@TempDir Path data) throws SQLException, IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (PostgresServer postgres = PostgresServer.start(data.resolve("postgres"), port, false)) {
            String database = "m_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            PostgresServer.createDatabase(postgres.jdbcUrl("postgres"), PostgresServer.USER, "", database);
            String url = postgres.jdbcUrl(database);
            flyway(url).target("20").load().migrate();
            try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
                 Statement sql = connection.createStatement()) {
                sql.execute("insert into test.pending_suite (application, stage, digest, suite, kind, attempt,"
                        + " retries_left, started_at, due_at, claim, claimed_until) values"
                        + " ('cart', 'test', 'sha256:aa', 'smoke', 'http-smoke', 1, 0, now(), now(), 'c1', now() + interval '5 minutes'),"
                        + " ('cart', 'test', 'sha256:aa', 'it', 'external', 2, 1, now(), '2030-01-01T00:00:00Z', null, null)");

                flyway(url).load().migrate();

                assertThat(column(sql, "select kind || ' ' || call_key || ' ' || status || ' ' || target"
                        + " from test.durable_call order by id")).containsExactly(
                        "suite-run cart/test/smoke/sha256:aa#1 PENDING http-smoke:smoke",
                        "suite-run cart/test/it/sha256:aa#2 PENDING external:it");
                assertThat(column(sql, "select to_char(next_attempt_at at time zone 'UTC', 'YYYY-MM-DD')"
                        + " from test.durable_call where target = 'external:it'")).containsExactly("2030-01-01");
                assertThat(column(sql, "select body from test.durable_call where target = 'external:it'"))
                        .containsExactly("{\"application\" : \"cart\", \"stage\" : \"test\", \"digest\" : \"sha256:aa\","
                                + " \"suite\" : \"it\", \"attempt\" : 2}");
                assertThat(column(sql, "select suite from test.pending_suite order by id")).containsExactly("smoke", "it");
                assertThat(column(sql, "select count(*) from information_schema.columns where table_name = 'pending_suite'"
                        + " and column_name in ('claim', 'claimed_until')")).containsExactly("0");
            }
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url) {
        return Flyway.configure().dataSource(url, PostgresServer.USER, "").locations("classpath:db/migration")
                .schemas("test").defaultSchema("test").createSchemas(true).outOfOrder(true);
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
