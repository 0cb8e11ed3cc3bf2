package dev.promoter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** How a command prints what it read: for people ({@code table}), or the services' JSON as JSON or YAML. */
public enum Output {
    TABLE, JSON, YAML;

    private static final ObjectMapper JSON_WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML_WRITER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** Prints {@code document} as JSON or YAML, or runs {@code table} for people. */
    void print(JsonNode document, PrintStream out, Runnable table) {
        try {
            switch (this) {
                case JSON -> out.println(JSON_WRITER.writeValueAsString(document));
                case YAML -> out.print(YAML_WRITER.writeValueAsString(document));
                case TABLE -> table.run();
            }
        } catch (JsonProcessingException e) {
            throw CliException.refused("cannot print the answer: " + e.getOriginalMessage());
        }
    }

    /** Rows of columns, each column as wide as its widest cell, two spaces apart; the last column is not padded. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            String[] row = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = cells[i] == null ? "-" : cells[i].toString();
            }
            rows.add(row);
            return this;
        }

        boolean isEmpty() {
            return rows.size() == 1;
        }

        void print(PrintStream out) {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
