package io.dataline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI's CSV reading: a CSV file with a header row becomes NDJSON for a commit (RFC 4180 quoting). */
final class CsvToNdjson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CsvToNdjson() {
    }

    /** CSV with a header row as NDJSON: numbers and booleans as such, empty cells left out, everything else text. */
    static Path convert(Path csv) throws IOException {
        Path ndjson = Files.createTempFile("dataline-commit-", ".ndjson");
        try (BufferedReader lines = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             BufferedWriter outFile = Files.newBufferedWriter(ndjson, StandardCharsets.UTF_8)) {
            List<String> header = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                StringBuilder record = new StringBuilder(line);
                while (quotes(record) % 2 == 1) { // a quoted cell spans lines
                    String next = lines.readLine();
                    if (next == null) {
                        throw new IOException("unterminated quoted cell in " + csv);
                    }
                    record.append('\n').append(next);
                }
                List<String> cells = cells(record.toString());
                if (header == null) {
                    header = cells;
                    continue;
                }
                if (cells.size() == 1 && cells.get(0).isEmpty()) {
                    continue;
                }
                ObjectNode json = JSON.createObjectNode();
                for (int i = 0; i < header.size() && i < cells.size(); i++) {
                    String cell = cells.get(i);
                    if (cell.isEmpty()) {
                        continue;
                    }
                    if (cell.equals("true") || cell.equals("false")) {
                        json.put(header.get(i), Boolean.parseBoolean(cell));
                    } else if (cell.matches("-?(0|[1-9]\\d{0,17})")) {
                        json.put(header.get(i), Long.parseLong(cell));
                    } else if (cell.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
                        json.put(header.get(i), Double.parseDouble(cell));
                    } else {
                        json.put(header.get(i), cell);
                    }
                }
                outFile.write(JSON.writeValueAsString(json));
                outFile.write('\n');
            }
        }
        return ndjson;
    }

    private static int quotes(CharSequence text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                n++;
            }
        }
        return n;
    }

    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
