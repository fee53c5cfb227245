package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a suite measured: JSON for the record (rows of named figures, references, targets) and tables for people.
 * Every row added to a table is also in the JSON under the table's key.
 */
public final class Report {

    private final ObjectNode json = JsonNodeFactory.instance.objectNode();
    private final List<Table> tables = new ArrayList<>();
    private final ArrayNode targets = json.putArray("targets");
    private final ArrayNode notes = json.putArray("notes");

    /** A table: a title, column headings, and the JSON field each column shows. */
    public final class Table {
        private final String key;
        private final String title;
        private final List<String[]> columns;
        private final ArrayNode rows;

        private Table(String key, String title, List<String[]> columns) {
            this.key = key;
            this.title = title;
            this.columns = columns;
            this.rows = json.putArray(key);
        }

        /** Adds a row; numbers print with 3 significant digits, the JSON keeps them exact. */
        public ObjectNode row() {
            return rows.addObject();
        }
    }

    /** A table whose columns are {heading, field} pairs. */
    public Table table(String key, String title, String... headingsAndFields) {
        List<String[]> columns = new ArrayList<>();
        for (int i = 0; i + 1 < headingsAndFields.length; i += 2) {
            columns.add(new String[] {headingsAndFields[i], headingsAndFields[i + 1]});
        }
        Table table = new Table(key, title, columns);
        tables.add(table);
        return table;
    }

    public ObjectNode json() {
        return json;
    }

    /** A goal from the issue, whether this run met it, and the figures it was judged on. */
    public void target(String goal, boolean met, String detail) {
        targets.addObject().put("goal", goal).put("met", met).put("detail", detail);
    }

    public void note(String note) {
        notes.add(note);
    }

    public void print(PrintStream out) {
        for (Table table : tables) {
            out.println();
            out.println(table.title);
            List<String[]> cells = new ArrayList<>();
            cells.add(table.columns.stream().map(c -> c[0]).toArray(String[]::new));
            for (JsonNode row : table.rows) {
                cells.add(table.columns.stream().map(c -> cell(row.get(c[1]))).toArray(String[]::new));
            }
            int[] widths = new int[table.columns.size()];
            for (String[] line : cells) {
                for (int i = 0; i < line.length; i++) {
                    widths[i] = Math.max(widths[i], line[i].length());
                }
            }
            for (int r = 0; r < cells.size(); r++) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < widths.length; i++) {
                    String cell = cells.get(r)[i];
                    line.append(i == 0 ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append("  ");
                }
                out.println(line.toString().stripTrailing());
                if (r == 0) {
                    out.println("  " + "-".repeat(line.length() - 4));
                }
            }
        }
        if (!targets.isEmpty()) {
            out.println();
            for (JsonNode target : targets) {
                out.printf("  [%s] %s — %s%n", target.path("met").asBoolean() ? "met" : "NOT met", target.path("goal").asText(),
                        target.path("detail").asText());
            }
        }
        for (JsonNode note : notes) {
            out.println("  note: " + note.asText());
        }
    }

    private static String cell(JsonNode value) {
        if (value == null || value.isNull()) {
            return "-";
        }
        if (value.isIntegralNumber()) {
            return String.format(java.util.Locale.ROOT, "%,d", value.asLong());
        }
        return value.isNumber() ? Stats.format(value.asDouble()) : value.asText();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
