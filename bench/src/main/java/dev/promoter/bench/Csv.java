package dev.promoter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Raw samples of one scenario, written as CSV under {@code bench/results}. Thread-safe. */
final class Csv {

    private final String header;
    private final List<String> rows = new ArrayList<>();

    Csv(String... columns) {
        this.header = String.join(",", columns);
    }

    synchronized void row(Object... values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            Object value = values[i];
            if (value instanceof Double d) {
                line.append(d.isNaN() ? "" : String.format(Locale.ROOT, "%.3f", d));
            } else {
                line.append(value == null ? "" : value.toString().replace(',', ';'));
            }
        }
        rows.add(line.toString());
    }

    synchronized void write(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(rows);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
