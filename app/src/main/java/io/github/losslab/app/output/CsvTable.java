package io.github.losslab.app.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A table written as CSV (RFC 4180: comma separated, fields with commas, quotes or line breaks quoted, a header
 * row). Doubles are written with {@link Double#toString(double)}, which reads back to the same value.
 */
public final class CsvTable {

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public CsvTable(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.columns = List.copyOf(columns);
    }

    public static CsvTable of(String... columns) {
        return new CsvTable(List.of(columns));
    }

    /** Adds a row of as many values as there are columns. */
    public CsvTable add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("a row of this table needs " + columns.size() + " values "
                    + columns + ", had " + values.length);
        }
        List<Object> row = new ArrayList<>(values.length);
        Collections.addAll(row, values);
        rows.add(row);
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int rowCount() {
        return rows.size();
    }

    /** Writes the table as UTF-8 CSV. */
    public void writeTo(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writeRow(w, new ArrayList<>(columns));
        for (List<Object> row : rows) {
            writeRow(w, row);
        }
        w.flush();
    }

    private static void writeRow(Writer w, List<Object> row) throws IOException {
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(field(row.get(i)));
        }
        w.write('\n');
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof Double d ? Double.toString(d)
                : value instanceof Float f ? Float.toString(f) : value.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
