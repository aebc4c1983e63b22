package org.ptorder.analyze.sql;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a result set as an aligned table, CSV, JSON (one array of objects) or a Markdown
 * table. CSV and JSON stream every row; table and Markdown align columns over at most
 * {@code maxRows} rows and say how many more there were.
 */
public final class ResultPrinter {
    public enum Format { table, csv, json, markdown }

    private final Format format;
    private final long maxRows;

    public ResultPrinter(Format format, long maxRows) {
        this.format = format;
        this.maxRows = maxRows;
    }

    public long print(ResultSet rs, PrintWriter out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] names = new String[n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) {
            names[i] = md.getColumnLabel(i + 1);
            numeric[i] = isNumeric(md.getColumnType(i + 1));
        }
        if (format == Format.table || format == Format.markdown) {
            java.util.Arrays.fill(numeric, true);
        }
        switch (format) {
            case csv: return csv(rs, out, names);
            case json: return json(rs, out, names, numeric);
            default: return aligned(rs, out, names, numeric, format == Format.markdown);
        }
    }

    private static boolean isNumeric(int type) {
        switch (type) {
            case java.sql.Types.TINYINT: case java.sql.Types.SMALLINT: case java.sql.Types.INTEGER:
            case java.sql.Types.BIGINT: case java.sql.Types.FLOAT: case java.sql.Types.DOUBLE:
            case java.sql.Types.REAL: case java.sql.Types.DECIMAL: case java.sql.Types.NUMERIC:
                return true;
            default:
                return false;
        }
    }

    private static String text(ResultSet rs, int i) throws SQLException {
        Object o = rs.getObject(i);
        return o == null ? null : o.toString();
    }

    private long csv(ResultSet rs, PrintWriter out, String[] names) throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(i > 0 ? "," : "").append(csvCell(names[i]));
        }
        out.println(sb);
        long rows = 0;
        while (rs.next()) {
            sb.setLength(0);
            for (int i = 0; i < names.length; i++) {
                String v = text(rs, i + 1);
                sb.append(i > 0 ? "," : "").append(v == null ? "" : csvCell(v));
            }
            out.println(sb);
            rows++;
        }
        return rows;
    }

    private static String csvCell(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private long json(ResultSet rs, PrintWriter out, String[] names, boolean[] numeric) throws SQLException {
        out.print("[");
        long rows = 0;
        StringBuilder sb = new StringBuilder();
        while (rs.next()) {
            sb.setLength(0);
            sb.append(rows == 0 ? "\n  {" : ",\n  {");
            for (int i = 0; i < names.length; i++) {
                sb.append(i > 0 ? ", " : "");
                Json.string(sb, names[i]);
                sb.append(": ");
                Object o = rs.getObject(i + 1);
                if (o == null) {
                    sb.append("null");
                } else if (o instanceof Boolean || numeric[i] && o instanceof Number) {
                    sb.append(o);
                } else if (o instanceof Number num && !(o instanceof java.math.BigDecimal)) {
                    sb.append(num);
                } else {
                    Json.string(sb, o.toString());
                }
            }
            sb.append('}');
            out.print(sb);
            rows++;
        }
        out.println(rows == 0 ? "]" : "\n]");
        return rows;
    }

    private long aligned(ResultSet rs, PrintWriter out, String[] names, boolean[] numeric, boolean markdown)
        throws SQLException {
        List<String[]> rows = new ArrayList<>();
        int[] w = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            w[i] = names[i].length();
        }
        long total = 0;
        while (rs.next()) {
            total++;
            if (rows.size() < maxRows) {
                String[] r = new String[names.length];
                for (int i = 0; i < names.length; i++) {
                    Object o = rs.getObject(i + 1);
                    String v = o == null ? null : o.toString();
                    // Right-align a column when every value in it is a number (HUGEINT sums included).
                    numeric[i] &= o == null || o instanceof Number;
                    r[i] = v == null ? (markdown ? "" : "NULL") : markdown ? v.replace("|", "\\|") : v;
                    w[i] = Math.max(w[i], r[i].length());
                }
                rows.add(r);
            }
        }
        String sep = markdown ? " | " : "  ";
        StringBuilder sb = new StringBuilder(markdown ? "| " : "");
        for (int i = 0; i < names.length; i++) {
            sb.append(i > 0 ? sep : "").append(pad(names[i], w[i], numeric[i]));
        }
        out.println(sb.append(markdown ? " |" : "").toString().stripTrailing());
        sb.setLength(0);
        sb.append(markdown ? "|" : "");
        for (int i = 0; i < names.length; i++) {
            if (markdown) {
                sb.append(numeric[i] ? "-".repeat(w[i] + 1) + ":|" : "-".repeat(w[i] + 2) + "|");
            } else {
                sb.append(i > 0 ? sep : "").append("-".repeat(w[i]));
            }
        }
        out.println(sb);
        for (String[] r : rows) {
            sb.setLength(0);
            sb.append(markdown ? "| " : "");
            for (int i = 0; i < names.length; i++) {
                sb.append(i > 0 ? sep : "").append(pad(r[i], w[i], numeric[i]));
            }
            out.println(sb.append(markdown ? " |" : "").toString().stripTrailing());
        }
        if (total > rows.size()) {
            out.printf("(%d of %d rows shown; use --max-rows, or --format csv|json for all)%n", rows.size(), total);
        } else if (!markdown) {
            out.printf("(%d row%s)%n", total, total == 1 ? "" : "s");
        }
        return total;
    }

    private static String pad(String s, int w, boolean right) {
        if (s.length() >= w) {
            return s;
        }
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
