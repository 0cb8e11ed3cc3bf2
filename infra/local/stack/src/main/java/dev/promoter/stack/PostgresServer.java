package dev.promoter.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

/**
 * An embedded PostgreSQL server (zonky's binaries from Maven Central), listening on loopback.
 * In-process for tests; for `./pipeline up` a small holder JVM runs {@link #main} and stops the
 * server cleanly when it is terminated.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Starts PostgreSQL on the port with its data in {@code dataDir}; {@code keepData} keeps the data across restarts
     * (durably: with fsync), otherwise the folder is emptied first and deleted when the server closes.
     */
    public static PostgresServer start(Path dataDir, int port, boolean keepData) {
        return start(dataDir, port, keepData, keepData);
    }

    /**
     * Starts PostgreSQL on the port; {@code keepData}: the folder's data is used if there is any and left in place
     * when the server closes, so a later start on the same folder and port goes on with it; {@code fsync}: writes
     * survive a crash of the machine, not only of the server (off for throw-away test data).
     */
    public static PostgresServer start(Path dataDir, int port, boolean keepData, boolean fsync) {
        try {
            Files.createDirectories(dataDir.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keepData)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", fsync ? "on" : "off")
                    .start();
            return new PostgresServer(postgres, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return jdbcUrl(port, database);
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates the database unless it exists; harmless to call twice. */
    public static void createDatabase(String adminJdbcUrl, String user, String password, String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lowercase letters, digits and '_': " + database);
        }
        try (Connection c = DriverManager.getConnection(adminJdbcUrl, user, password);
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    static boolean answers(int port) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(port, "postgres"), USER, "")) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holder process for the local stack: {@code PostgresServer <dataDir> <port>}; runs until terminated. */
    public static void main(String[] args) throws InterruptedException {
        PostgresServer server = start(Path.of(args[0]), Integer.parseInt(args[1]), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("PostgreSQL ready on 127.0.0.1:" + server.port());
        stopped.await();
    }
}
