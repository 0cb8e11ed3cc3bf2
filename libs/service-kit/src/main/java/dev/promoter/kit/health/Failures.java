package dev.promoter.kit.health;

import dev.promoter.oci.RegistryException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts a failure into what waiting cures and what it does not. <em>Transient</em>: a dependency could not be reached
 * or asked to come back later (the registry unreachable, answering 5xx, 429 or 408, timing out; the database down,
 * restarting, out of connections, or a serialisation conflict; Kafka's retriable errors). <em>Permanent</em>: the
 * input itself is wrong (an {@link IllegalArgumentException}: the domain rejects it). Anything else is
 * <em>unknown</em>: a bug or a refusal nobody foresaw, retried a few times and then set aside where people see it.
 */
public final class Failures {

    /** How long a caller should wait before asking again when a dependency is down. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final int MAX_DEPTH = 16;

    /** What a failure is and, when it is transient, which dependency is down. */
    public record Classified(Kind kind, Optional<String> dependency) {

        public boolean isTransient() {
            return kind == Kind.TRANSIENT;
        }
    }

    public enum Kind { TRANSIENT, PERMANENT, UNKNOWN }

    /** The dependency names used in metrics, health checks and problem details. */
    public static final String REGISTRY = "registry";
    public static final String DATABASE = "database";
    public static final String KAFKA = "kafka";
    public static final String NETWORK = "network";

    private Failures() {
    }

    public static Classified classify(Throwable failure) {
        // Outermost first: a registry call that failed on a refused connection is the registry's outage.
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof IllegalArgumentException) {
                return new Classified(Kind.PERMANENT, Optional.empty());
            }
            if (t instanceof RegistryException registry) {
                return registry(registry);
            }
            if (t instanceof DatabaseException database) {
                return database(database.getSqlState());
            }
            if (t instanceof ClosedConnectionException || isFrom(t, "io.vertx.sqlclient", "io.vertx.pgclient", "org.hibernate")
                    && hasCause(t, IOException.class, TimeoutException.class)) {
                return transientOf(DATABASE);
            }
            if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return transientOf(KAFKA);
            }
        }
        // No client named itself: a bare refused connection or timeout (the SQL pool reports these without a wrapper).
        if (hasCause(failure, IOException.class, TimeoutException.class)) {
            return transientOf(poolFailure(failure) ? DATABASE : NETWORK);
        }
        return new Classified(Kind.UNKNOWN, Optional.empty());
    }

    private static Classified registry(RegistryException e) {
        int status = e.status();
        boolean unreachable = status == 0 && hasCause(e, IOException.class, TimeoutException.class);
        if (unreachable || status >= 500 || status == 429 || status == 408) {
            return transientOf(REGISTRY);
        }
        return new Classified(Kind.UNKNOWN, Optional.empty());
    }

    /**
     * SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P01-57P03 (shutting down, cannot connect now),
     * 40001/40P01 (serialisation failure, deadlock: the same transaction succeeds when tried again).
     */
    static Classified database(String sqlState) {
        if (sqlState == null) {
            return transientOf(DATABASE);
        }
        if (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P")
                || sqlState.equals("40001") || sqlState.equals("40P01")) {
            return transientOf(DATABASE);
        }
        return new Classified(Kind.UNKNOWN, Optional.empty());
    }

    private static Classified transientOf(String dependency) {
        return new Classified(Kind.TRANSIENT, Optional.of(dependency));
    }

    @SafeVarargs
    private static boolean hasCause(Throwable failure, Class<? extends Throwable>... types) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isFrom(Throwable t, String... packages) {
        String name = t.getClass().getName();
        for (String prefix : packages) {
            if (name.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    /** A refused connection raised while the SQL pool connected: its stack names the pool's classes. */
    private static boolean poolFailure(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (isFrom(t, "io.vertx.sqlclient", "io.vertx.pgclient", "org.hibernate")) {
                return true;
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                String cls = frame.getClassName();
                if (cls.startsWith("io.vertx.sqlclient.") || cls.startsWith("io.vertx.pgclient.")
                        || cls.startsWith("org.hibernate.reactive.")) {
                    return true;
                }
            }
        }
        return false;
    }
}
