package org.ptorder.analyze.diff;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.analyze.report.Db;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.store.DuckStore;

/**
 * Compares two databases (both attached read-only to one in-memory DuckDB, so every comparison
 * is a join in SQL and nothing grows in Java with the number of findings) or two schemes of one
 * database's scheme_scores.
 *
 * <p>Findings are matched by identity, not by sequence number: class, place (the PTE, else the
 * VA, else the frame) and the writer's and reader's code location (their {@code at=} tag, else
 * the op's name). Two runs of the same code then match even though every event moved.
 */
public final class DiffLoader {
    private DiffLoader() { }

    /** Changed finding groups listed in full by default; the rest are counted. */
    public static final int DEFAULT_MAX = 200;

    public static DiffData databases(Path a, Path b, int max) throws SQLException {
        for (Path p : List.of(a, b)) {
            if (!CheckRun.isDuckDb(p)) {
                throw TraceInputException.whole(p, "not a DuckDB database (expected one from 'ptorder ingest')");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = c.createStatement()) {
                st.execute("SET autoinstall_known_extensions = false");
                st.execute("SET autoload_known_extensions = false");
                st.execute("ATTACH '" + a.toAbsolutePath().toString().replace("'", "''") + "' AS a (READ_ONLY)");
                st.execute("ATTACH '" + b.toAbsolutePath().toString().replace("'", "''") + "' AS b (READ_ONLY)");
            } catch (SQLException e) {
                throw TraceInputException.whole(a, "cannot open both databases: " + e.getMessage().strip());
            }
            List<String> notes = new ArrayList<>();
            Map<String, Metric> ma = metrics(c, "a");
            Map<String, Metric> mb = metrics(c, "b");
            zeroFill(c, "a", ma, mb);
            zeroFill(c, "b", mb, ma);
            List<DiffData.MetricDelta> deltas = merge(ma, mb);
            boolean ca = has(c, "a", "violations");
            boolean cb = has(c, "b", "violations");
            if (!ca || !cb) {
                notes.add("findings not compared: " + (!ca ? a : b) + " was never checked (run 'ptorder check')");
                return new DiffData("databases", a.toString(), b.toString(), deltas, List.of(), 0, 0, 0, 0, 0, notes);
            }
            if (has(c, "a", "scheme_scores") != has(c, "b", "scheme_scores")) {
                notes.add("only " + (has(c, "a", "scheme_scores") ? a : b) + " is scored: its scheme scores have"
                    + " nothing to compare with");
            }
            return findings(c, a.toString(), b.toString(), deltas, max, notes);
        }
    }

    /** One side's value of a metric, with its uncertainty range where it has one. */
    private record Metric(String unit, double value, Double low, Double high) { }

    /** Whether attached database {@code db} has {@code table} with rows (schema.sql creates scheme_scores empty). */
    private static boolean has(Connection c, String db, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                if (r.getLong(1) == 0) {
                    return false;
                }
            }
        }
        return hasRows(c, db + "." + table);
    }

    /** Every metric of one database: (name, unit, value, low, high) rows from one query per table. */
    private static Map<String, Metric> metrics(Connection c, String s) throws SQLException {
        List<String> parts = new ArrayList<>();
        if (has(c, s, "trace_files")) {
            parts.add("SELECT 'inputs', 'files', count(*), NULL, NULL FROM " + s + ".trace_files");
            parts.add("SELECT 'records.' || format, 'records', sum(records), NULL, NULL FROM " + s
                + ".trace_files GROUP BY format");
            parts.add("SELECT 'lost_records', 'records', sum(lost_total), NULL, NULL FROM " + s + ".trace_files");
            parts.add("SELECT 'ingest_warnings', 'warnings', sum(warnings), NULL, NULL FROM " + s + ".trace_files");
        }
        if (has(c, s, "mmu_ops")) {
            parts.add("SELECT 'mmu_ops.' || op, 'ops', count(*), NULL, NULL FROM " + s + ".mmu_ops GROUP BY op");
            parts.add("SELECT 'flush.entries.mean', 'entries', avg(n), NULL, NULL FROM " + s
                + ".mmu_ops WHERE op = 'flush' HAVING count(n) > 0");
            parts.add("SELECT 'flush.entries.p99', 'entries', quantile_disc(n, 0.99), NULL, NULL FROM " + s
                + ".mmu_ops WHERE op = 'flush' HAVING count(n) > 0");
        }
        if (has(c, s, "hypercalls") && has(c, s, "hypercall_ops")) {
            parts.add("SELECT 'hypercalls.' || coalesce(o.name, 'op_' || h.op), 'calls', count(*), NULL, NULL FROM "
                + s + ".hypercalls h LEFT JOIN " + s + ".hypercall_ops o USING (op) WHERE NOT is_subcall GROUP BY ALL");
            parts.add("SELECT 'hypercalls.' || coalesce(o.name, 'op_' || h.op) || '.requests.mean', 'requests',"
                + " avg(count), NULL, NULL FROM " + s + ".hypercalls h LEFT JOIN " + s + ".hypercall_ops o USING (op)"
                + " WHERE NOT is_subcall AND count IS NOT NULL GROUP BY ALL");
        }
        if (has(c, s, "violations")) {
            parts.add("SELECT 'findings.total', 'findings', count(*), NULL, NULL FROM " + s + ".violations");
            parts.add("SELECT 'findings.' || class || '.' || label, 'findings', count(*), NULL, NULL FROM " + s
                + ".violations GROUP BY ALL");
        }
        if (has(c, s, "check_undecided")) {
            parts.add("SELECT 'undecided', 'items', count(*), NULL, NULL FROM " + s + ".check_undecided");
        }
        if (has(c, s, "scheme_scores")) {
            parts.add("SELECT 'score.' || scheme || '.' || param_set || '.' || metric, unit, value, low, high FROM "
                + s + ".scheme_scores");
        }
        Map<String, Metric> out = new TreeMap<>();
        if (parts.isEmpty()) {
            return out;
        }
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery(String.join(" UNION ALL ", parts))) {
            while (r.next()) {
                Double v = Db.doubleOrNull(r, 3);
                if (v != null) {
                    out.put(r.getString(1), new Metric(r.getString(2), v, Db.doubleOrNull(r, 4), Db.doubleOrNull(r, 5)));
                }
            }
        }
        return out;
    }

    /** Counts by kind, keyed by the table they come from: a kind a side lacks while it has the table is 0 there. */
    private static final Map<String, String> COUNT_FAMILIES = Map.of("findings.", "violations", "mmu_ops.", "mmu_ops",
        "records.", "trace_files");

    private static void zeroFill(Connection c, String side, Map<String, Metric> mine, Map<String, Metric> other)
        throws SQLException {
        for (Map.Entry<String, String> f : COUNT_FAMILIES.entrySet()) {
            if (!has(c, side, f.getValue())) {
                continue;
            }
            for (Map.Entry<String, Metric> e : other.entrySet()) {
                if (e.getKey().startsWith(f.getKey()) && !mine.containsKey(e.getKey())) {
                    mine.put(e.getKey(), new Metric(e.getValue().unit(), 0, null, null));
                }
            }
        }
    }

    private static List<DiffData.MetricDelta> merge(Map<String, Metric> a, Map<String, Metric> b) {
        TreeMap<String, Boolean> names = new TreeMap<>();
        a.keySet().forEach(k -> names.put(k, true));
        b.keySet().forEach(k -> names.put(k, true));
        List<DiffData.MetricDelta> out = new ArrayList<>();
        for (String k : names.keySet()) {
            Metric x = a.get(k);
            Metric y = b.get(k);
            out.add(new DiffData.MetricDelta(k, x != null ? x.unit() : y.unit(), x == null ? null : x.value(),
                y == null ? null : y.value(), x == null ? null : x.low(), x == null ? null : x.high(),
                y == null ? null : y.low(), y == null ? null : y.high()));
        }
        return out;
    }

    /** A side's findings grouped by identity: class, place, writer's and reader's location. */
    private static String groups(String s) {
        return "SELECT class, coalesce('pte ' || " + Db.hex("pte") + ", 'va ' || " + Db.hex("va") + ", 'frame ' || "
            + Db.hex("frame") + ", '') AS place,"
            + " coalesce(writer_loc, split_part(writer_op, ' ', 1)) AS wloc,"
            + " coalesce(reader_loc, split_part(reader_op, ' ', 1)) AS rloc,"
            + " count(*) AS n, string_agg(DISTINCT label, '/' ORDER BY label) AS labels,"
            + " arg_min(reader_op || ' #' || reader_seq || ' cpu' || reader_cpu || coalesce(' line ' || reader_line, ''),"
            + "   reader_seq) AS example"
            + " FROM " + s + ".violations GROUP BY 1, 2, 3, 4";
    }

    private static DiffData findings(Connection c, String a, String b, List<DiffData.MetricDelta> deltas, int max,
                                     List<String> notes) throws SQLException {
        String sql = "WITH fa AS (" + groups("a") + "), fb AS (" + groups("b") + "),"
            + " j AS (SELECT class, place, wloc, rloc, coalesce(fa.n, 0) AS na, coalesce(fb.n, 0) AS nb,"
            + "   fa.labels AS la, fb.labels AS lb, coalesce(fb.example, fa.example) AS example"
            + "   FROM fa FULL OUTER JOIN fb USING (class, place, wloc, rloc))"
            + " SELECT *, CASE WHEN na = 0 THEN 'new' WHEN nb = 0 THEN 'gone' WHEN la <> lb THEN 'label'"
            + "   WHEN na <> nb THEN 'count' ELSE 'same' END AS change FROM j"
            + " ORDER BY CASE change WHEN 'new' THEN 0 WHEN 'gone' THEN 1 WHEN 'label' THEN 2 WHEN 'count' THEN 3"
            + "   ELSE 4 END, class, place, wloc, rloc";
        List<DiffData.FindingDelta> shown = new ArrayList<>();
        long same = 0, added = 0, gone = 0, relabelled = 0, left = 0;
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                String change = r.getString(10);
                switch (change) {
                    case "same" -> {
                        same++;
                        continue;
                    }
                    case "new" -> added++;
                    case "gone" -> gone++;
                    case "label" -> relabelled++;
                    default -> same++; // same labels, another count: matched, shown for its numbers
                }
                if (shown.size() >= max) {
                    left++;
                    continue;
                }
                shown.add(new DiffData.FindingDelta(change, r.getString(1), r.getString(2), r.getString(3),
                    r.getString(4), r.getLong(5), r.getLong(6), r.getString(7), r.getString(8), r.getString(9)));
            }
        }
        return new DiffData("databases", a, b, deltas, shown, same, added, gone, relabelled, left, notes);
    }

    private static boolean hasRows(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT count(*) > 0 FROM " + table)) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** Two schemes of one database: every scheme_scores metric side by side, per parameter set. */
    public static DiffData schemes(Path db, String x, String y) throws SQLException {
        try (Connection c = DuckStore.open(db, false)) {
            if (!CheckRun.hasTable(c, "scheme_scores") || !hasRows(c, "scheme_scores")) {
                throw TraceInputException.whole(db, "no scheme_scores table: the database is not scored yet"
                    + " (run 'ptorder score')");
            }
            List<String> known = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet r = st.executeQuery("SELECT DISTINCT scheme FROM scheme_scores ORDER BY scheme")) {
                while (r.next()) {
                    known.add(r.getString(1));
                }
            }
            for (String s : List.of(x, y)) {
                if (!known.contains(s)) {
                    throw TraceInputException.whole(db, "no scheme '" + s + "' in scheme_scores (it has " + known + ")");
                }
            }
            List<DiffData.MetricDelta> deltas = new ArrayList<>();
            List<DiffData.FindingDelta> findings = new ArrayList<>();
            long same = 0, added = 0, gone = 0;
            String sql = "SELECT param_set AS ps, metric AS m,"
                + " coalesce(p.unit, q.unit), p.value, q.value, p.low, p.high, q.low, q.high"
                + " FROM (SELECT * FROM scheme_scores WHERE scheme = ?) p"
                + " FULL OUTER JOIN (SELECT * FROM scheme_scores WHERE scheme = ?) q USING (param_set, metric)"
                + " ORDER BY ps <> 'default', ps, m";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, x);
                ps.setString(2, y);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        String set = r.getString(1);
                        String metric = r.getString(2);
                        Double va = Db.doubleOrNull(r, 4);
                        Double vb = Db.doubleOrNull(r, 5);
                        deltas.add(new DiffData.MetricDelta(metric + (set.equals("default") ? "" : " @" + set),
                            r.getString(3), va, vb, Db.doubleOrNull(r, 6), Db.doubleOrNull(r, 7),
                            Db.doubleOrNull(r, 8), Db.doubleOrNull(r, 9)));
                        if (metric.startsWith("violations.") && set.equals("default")) {
                            long na = va == null ? 0 : Math.round(va);
                            long nb = vb == null ? 0 : Math.round(vb);
                            String change = na == 0 && nb > 0 ? "new" : nb == 0 && na > 0 ? "gone" : null;
                            if (change == null) {
                                same += na > 0 ? 1 : 0;
                                continue;
                            }
                            added += change.equals("new") ? 1 : 0;
                            gone += change.equals("gone") ? 1 : 0;
                            findings.add(new DiffData.FindingDelta(change, metric.substring(11), "", "", "", na, nb,
                                null, null, "under scheme " + (change.equals("new") ? y : x) + " only"));
                        }
                    }
                }
            }
            List<String> notes = List.of("schemes are compared on the scores of one trace: a violation class"
                + " 'new' under " + y + " is one that " + x + " prevents and " + y + " does not");
            return new DiffData("schemes", x, y, deltas, findings, same, added, gone, 0, 0, notes);
        }
    }
}
