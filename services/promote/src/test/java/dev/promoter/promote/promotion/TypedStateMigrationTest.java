package dev.promoter.promote.promotion;

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

/** V200 rewrites the phases and decisions stored before issue 18 to the typed words, and keeps every row. */
class TypedStateMigrationTest {

    @Test
    void waitingRequestsAndLowerCaseDecisionsAreKeptUnderTheirNewNames(@TempDir Path data)
            throws SQLException, IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (PostgresServer postgres = PostgresServer.start(data.resolve("postgres"), port, false)) {
            migrate(postgres);
        }
    }

    private static void migrate(PostgresServer postgres) throws SQLException {
        String database = "m_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresServer.createDatabase(postgres.jdbcUrl("postgres"), PostgresServer.USER, "", database);
        String url = postgres.jdbcUrl(database);
        Flyway before = Flyway.configure().dataSource(url, PostgresServer.USER, "").locations("classpath:db/migration")
                .schemas("promote").defaultSchema("promote").createSchemas(true).outOfOrder(true).target("160").load();
        before.migrate();
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement sql = connection.createStatement()) {
            sql.execute("insert into promote.promotion_request (application, stage, digest, phase, reason, requested_at,"
                    + " requested_by) values ('cart', 'prod', 'sha256:aa', 'PENDING', 'r', now(), 'pipeline'),"
                    + " ('cart', 'prod', 'sha256:bb', 'PROMOTED', 'r', now(), 'pipeline')");
            sql.execute("insert into promote.promotion_decision (application, stage, digest, decision, person, identity, via,"
                    + " decided_at) values ('cart', 'prod', 'sha256:aa', 'approve', 'bob', 'api:bob', 'api', now()),"
                    + " ('*', null, null, 'stop', 'ada', 'api:ada', 'api', now())");

            Flyway.configure().dataSource(url, PostgresServer.USER, "").locations("classpath:db/migration")
                    .schemas("promote").defaultSchema("promote").outOfOrder(true).load().migrate();

            assertThat(column(sql, "select phase from promote.promotion_request order by id")).containsExactly("WAITING",
                    "PROMOTED");
            assertThat(column(sql, "select decision from promote.promotion_decision order by id")).containsExactly("APPROVE",
                    "STOP");
            assertThat(column(sql, "select indexdef from pg_indexes where indexname = 'promotion_request_open'"))
                    .singleElement().asString().contains("'WAITING'");
        }
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
