package dev.promoter.testinfra;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what a service in this JVM writes to its audit log (the log category {@code dev.promoter.audit}), so a
 * test can assert a refusal was recorded. Close it to stop recording.
 */
public final class AuditLog implements AutoCloseable {

    private static final String CATEGORY = "dev.promoter.audit";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(CATEGORY);
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(formatted(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private AuditLog() {
        logger.addHandler(handler);
    }

    public static AuditLog record() {
        return new AuditLog();
    }

    /** The audit lines written since {@link #record()}, formatted. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }

    private static String formatted(LogRecord record) {
        Object[] parameters = record.getParameters();
        String message = record.getMessage();
        if (parameters == null || parameters.length == 0) {
            return message;
        }
        // JBoss Logging's printf-style records keep the pattern and its parameters apart.
        try {
            return String.format(message, parameters);
        } catch (java.util.IllegalFormatException e) {
            return java.text.MessageFormat.format(message, parameters);
        }
    }
}
