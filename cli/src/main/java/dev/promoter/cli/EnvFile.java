package dev.promoter.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code KEY='value'} file the local stack scripts write and source ({@code stack.env}, {@code secrets.env}):
 * comments and blank lines skipped, one pair of single quotes around a value removed.
 */
public final class EnvFile {

    private EnvFile() {
    }

    /** The file's variables; empty when the file does not exist. */
    public static Map<String, String> read(Path file) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return vars;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                int eq = trimmed.indexOf('=');
                if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
                    continue;
                }
                String value = trimmed.substring(eq + 1);
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1);
                }
                vars.put(trimmed.substring(0, eq).replaceFirst("^export\\s+", ""), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return vars;
    }
}
