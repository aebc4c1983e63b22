package org.ptorder.analyze.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ptorder.analyze.check.Label;
import org.ptorder.analyze.check.ViolationClass;
import org.ptorder.analyze.diff.DiffData;

/**
 * Reads a report's content from a database. Everything that grows with the trace is reduced in
 * SQL: charts come back as a fixed number of time bins or buckets, findings as at most
 * {@code perGroup} per class and label and {@code maxFindings} in all (with the counts of the
 * rest). Every query has a total order, so the same database always gives the same data.
 */
public final class ReportLoader {
    /** Most CPU lanes a queue-depth chart draws; the rest are counted. */
    static final int MAX_LANES = 16;
    /** Most series of a rate chart; the smaller ones are summed into "other". */
    static final int MAX_SERIES = 4;

    /**
     * @param maxFindings findings shown in full, over all groups
     * @param perGroup    findings shown per class and label
     * @param bins        time bins of the timeline charts
     * @param paramSet    the scheme_scores parameter set to show; null: 'calibrated', else 'default', else the first
     * @param generatedAt a timestamp to print, or null for none (reports are byte-identical by default)
     */
    public record Options(int maxFindings, int perGroup, int bins, String paramSet, String generatedAt) {
        public static Options defaults() {
            return new Options(200, 10, 120, null, null);
        }
    }

    private final Connection c;
    private final Options opt;
    /** Tables and views of the database, read once: a lookup per chart would cost more than the chart. */
    private final Set<String> tables = new HashSet<>();

    private ReportLoader(Connection c, Options opt) throws SQLException {
        this.c = c;
        this.opt = opt;
        try (Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT DISTINCT table_name FROM information_schema.tables")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
    }

    private boolean has(String table) {
        return tables.contains(table);
    }

    public static ReportData load(Connection c, String database, String version, Options opt, DiffData diff)
        throws SQLException {
        ReportLoader l = new ReportLoader(c, opt);
        ReportData.Meta meta = new ReportData.Meta("ptorder", version, database, opt.maxFindings(), opt.perGroup(),
            opt.bins(), opt.generatedAt());
        boolean checked = l.has("check_runs");
        List<ReportData.FindingRow> findings = checked ? l.findings() : List.of();
        List<ReportData.ClassCount> counts = checked ? l.counts() : List.of();
        long total = counts.stream().mapToLong(ReportData.ClassCount::count).sum();
        List<ReportData.Input> inputs = l.inputs();
        return new ReportData(meta, inputs, l.clocks(), checked ? l.checks() : List.of(), counts,
            checked ? l.undecided() : List.of(), findings, total, l.scores(), l.charts(inputs, checked), diff);
    }

    // ---- what was analysed -----------------------------------------------------------------

    private List<ReportData.Input> inputs() throws SQLException {
        List<ReportData.Input> out = new ArrayList<>();
        if (!has("trace_files")) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT file_id, path, format, size_bytes, sha256, records,"
            + " pcpus, cpu_hz, time_unit, lost_total, warnings FROM trace_files ORDER BY file_id");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                out.add(new ReportData.Input(r.getInt(1), r.getString(2), r.getString(3), r.getLong(4), r.getString(5),
                    r.getLong(6), r.getInt(7), Db.longOrNull(r, 8), r.getString(9), r.getLong(10), r.getLong(11)));
            }
        }
        return out;
    }

    private List<ReportData.Clock> clocks() throws SQLException {
        List<ReportData.Clock> out = new ArrayList<>();
        if (!has("clock_alignment")) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT guest_file_id, xen_file_id, dom, method, slope,"
            + " offset_cycles, guest_calls, matched, match_rate, count_agrees, median_gap_cycles, note"
            + " FROM clock_alignment ORDER BY guest_file_id, xen_file_id");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                out.add(new ReportData.Clock(r.getInt(1), r.getInt(2), (Integer) r.getObject(3), r.getString(4),
                    Db.doubleOrNull(r, 5), Db.doubleOrNull(r, 6), Db.longOrNull(r, 7), Db.longOrNull(r, 8),
                    Db.doubleOrNull(r, 9), Db.longOrNull(r, 10), Db.longOrNull(r, 11), r.getString(12)));
            }
        }
        return out;
    }

    private List<ReportData.CheckRunInfo> checks() throws SQLException {
        List<ReportData.CheckRunInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file_id, version, options, ops, cpus, observed, latent,"
            + " benign_race FROM check_runs WHERE run_id IN (SELECT max(run_id) FROM check_runs GROUP BY file_id)"
            + " ORDER BY file_id");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                out.add(new ReportData.CheckRunInfo(r.getInt(1), r.getString(2), r.getString(3), r.getLong(4),
                    r.getInt(5), r.getLong(6), r.getLong(7), r.getLong(8)));
            }
        }
        return out;
    }

    // ---- findings --------------------------------------------------------------------------

    /** Labels surest first, then classes in their V1..V9 order: the order groups are shown in. */
    static final Comparator<String[]> GROUP_ORDER = Comparator
        .comparingInt((String[] g) -> labelRank(g[1])).thenComparingInt(g -> classRank(g[0]))
        .thenComparing(g -> g[0]);

    static int labelRank(String label) {
        for (Label l : Label.values()) {
            if (l.text().equals(label)) {
                return l.ordinal();
            }
        }
        return Label.values().length;
    }

    static int classRank(String cls) {
        ViolationClass v = ViolationClass.parse(cls);
        return v == null ? ViolationClass.values().length : v.ordinal();
    }

    private List<ReportData.ClassCount> counts() throws SQLException {
        List<ReportData.ClassCount> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT class, label, count(*) FROM violations GROUP BY ALL");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                out.add(new ReportData.ClassCount(r.getString(1), r.getString(2), r.getLong(3)));
            }
        }
        out.sort(Comparator.comparing(x -> new String[] {x.cls(), x.label()}, GROUP_ORDER));
        return out;
    }

    private List<ReportData.UndecidedRow> undecided() throws SQLException {
        List<ReportData.UndecidedRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT file_id, classes, reason, count FROM check_undecided"
            + " ORDER BY file_id, classes, reason, count");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                out.add(new ReportData.UndecidedRow(r.getInt(1), r.getString(2), r.getString(3), Db.longOrNull(r, 4)));
            }
        }
        return out;
    }

    /** The columns of violations that identify one finding, in the order findings are listed within a group. */
    static final String FINDING_ORDER = "file_id, reader_seq, writer_seq, coverage, pte, va, frame, evidence_seq,"
        + " missing_seq";

    private List<ReportData.FindingRow> findings() throws SQLException {
        List<ReportData.FindingRow> rows = new ArrayList<>();
        String sql = "SELECT file_id, class, label, coverage, " + Db.hex("pte") + ", " + Db.hex("va") + ", "
            + Db.hex("old_val") + ", " + Db.hex("new_val") + ", " + Db.hex("frame") + ","
            + " writer_seq, writer_cpu, writer_ts, writer_line, writer_offset, writer_loc, writer_op,"
            + " reader_seq, reader_cpu, reader_ts, reader_line, reader_offset, reader_loc, reader_op,"
            + " evidence_seq, e_cpu, e_ts, e_line, e_offset, e_loc, evidence,"
            + " hb_path, missing, missing_seq, interleaving, root_cause, note"
            + " FROM (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY class, label ORDER BY " + FINDING_ORDER
            + "       ) AS rn FROM violations) WHERE rn <= ?) v"
            + " LEFT JOIN (SELECT file_id AS e_file, seq AS e_seq, cpu AS e_cpu, ts AS e_ts, src_line AS e_line,"
            + "       src_offset AS e_offset, src_loc AS e_loc FROM mmu_ops) e"
            + "   ON e_file = v.file_id AND e_seq = v.evidence_seq"
            + " ORDER BY class, label, rn";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, opt.perGroup());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    rows.add(finding(r));
                }
            }
        }
        // group order (stable: within a group the SQL order stands), then the overall cap
        rows.sort(Comparator.comparing(f -> new String[] {f.cls(), f.label()}, GROUP_ORDER));
        return rows.size() > opt.maxFindings() ? List.copyOf(rows.subList(0, opt.maxFindings())) : rows;
    }

    private static ReportData.FindingRow finding(ResultSet r) throws SQLException {
        String cls = r.getString(2);
        ViolationClass vc = ViolationClass.parse(cls);
        ReportData.Event writer = new ReportData.Event(r.getLong(10), r.getInt(11), Db.longOrNull(r, 12),
            Db.longOrNull(r, 13), Db.longOrNull(r, 14), r.getString(15), r.getString(16));
        ReportData.Event reader = new ReportData.Event(r.getLong(17), r.getInt(18), Db.longOrNull(r, 19),
            Db.longOrNull(r, 20), Db.longOrNull(r, 21), r.getString(22), r.getString(23));
        Long evSeq = Db.longOrNull(r, 24);
        ReportData.Event evidence = evSeq == null ? null : new ReportData.Event(evSeq,
            r.getObject(25) == null ? -1 : r.getInt(25), Db.longOrNull(r, 26), Db.longOrNull(r, 27),
            Db.longOrNull(r, 28), r.getString(29), null);
        String il = r.getString(34);
        return new ReportData.FindingRow(r.getInt(1), cls, vc == null ? "" : vc.title(), r.getString(3),
            r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9), writer,
            reader, evidence, r.getString(30), r.getString(31), r.getString(32), Db.longOrNull(r, 33),
            il == null || il.isEmpty() ? List.of() : List.of(il.split("\n")), r.getString(35), r.getString(36));
    }

    // ---- scheme scores ---------------------------------------------------------------------

    /** Schemes in the order of ordering-model §4 (DESIGN.md); others follow by name. */
    static final List<String> SCHEME_ORDER = List.of("S0", "SN", "S1", "Sa", "Sa'", "Sb", "Ssh", "SL");

    static String schemeOrderSql(String col) {
        StringBuilder sb = new StringBuilder("CASE " + col);
        for (int i = 0; i < SCHEME_ORDER.size(); i++) {
            sb.append(" WHEN '").append(SCHEME_ORDER.get(i).replace("'", "''")).append("' THEN ").append(i);
        }
        return sb.append(" ELSE ").append(SCHEME_ORDER.size()).append(" END").toString();
    }

    private ReportData.Scores scores() throws SQLException {
        if (!has("scheme_scores")) {
            return null;
        }
        List<String> sets = new ArrayList<>();
        // every database has the (empty) table since schema.sql defines it; no rows: not scored
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT param_set FROM scheme_scores ORDER BY"
            + " param_set <> 'calibrated', param_set <> 'default', param_set");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                sets.add(r.getString(1));
            }
        }
        if (sets.isEmpty()) {
            return null;
        }
        String set = opt.paramSet() != null ? opt.paramSet() : sets.get(0);
        List<ReportData.ScoreRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT scheme, param_set, metric, value, low, high, unit"
            + " FROM scheme_scores WHERE param_set = ? ORDER BY " + schemeOrderSql("scheme") + ", scheme, metric")) {
            ps.setString(1, set);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    rows.add(new ReportData.ScoreRow(r.getString(1), r.getString(2), r.getString(3),
                        Db.doubleOrNull(r, 4), Db.doubleOrNull(r, 5), Db.doubleOrNull(r, 6), r.getString(7)));
                }
            }
        }
        return new ReportData.Scores(set, sets, rows);
    }

    // ---- charts ----------------------------------------------------------------------------

    private ReportData.Charts charts(List<ReportData.Input> inputs, boolean checked) throws SQLException {
        List<ReportData.DepthChart> depth = new ArrayList<>();
        List<ReportData.Histogram> hist = new ArrayList<>();
        List<ReportData.RateChart> rate = new ArrayList<>();
        for (ReportData.Input in : inputs) {
            if (has("mmu_ops") && Db.count(c, "SELECT count(*) FROM mmu_ops WHERE file_id = ?",
                in.fileId()) > 0) {
                Axis ax = axis("mmu_ops", "ts", "seq", "seq", in.fileId(), "");
                ReportData.DepthChart d = depth(in, ax, checked && has("violations"));
                if (d != null) {
                    depth.add(d);
                }
                ReportData.Histogram h = histogram(in, "guest flushes (entries per batch)",
                    "SELECT n FROM mmu_ops WHERE file_id = ? AND op = 'flush' AND n > 0");
                if (h != null) {
                    hist.add(h);
                }
                rate.add(rate(in, ax, "guest flushes and TLB operations", "mmu_ops",
                    "CASE WHEN op = 'flush' THEN 'flush' WHEN op LIKE 'tlb_flush%' THEN op WHEN op LIKE 'invlpg%'"
                        + " THEN op END", "op = 'flush' OR op LIKE 'tlb_flush%' OR op LIKE 'invlpg%'"));
            }
            if (has("hypercalls") && Db.count(c, "SELECT count(*) FROM hypercalls WHERE file_id = ?",
                in.fileId()) > 0) {
                for (String[] op : new String[][] {{"1", "mmu_update"}, {"26", "mmuext_op"}, {"13", "multicall"}}) {
                    ReportData.Histogram h = histogram(in, op[1] + " (requests per call, Xen side)",
                        "SELECT count AS n FROM hypercalls WHERE file_id = ? AND NOT is_subcall AND op = " + op[0]
                            + " AND count > 0");
                    if (h != null) {
                        hist.add(h);
                    }
                }
                Axis ax = axis("hypercalls", "ts", "tsc", "cycles", in.fileId(), " AND NOT is_subcall");
                rate.add(rate(in, ax, "hypercalls (Xen side, multicall entries not counted)", "hypercalls_named",
                    "name", "NOT is_subcall"));
            }
        }
        return new ReportData.Charts(depth, hist, rate);
    }

    /** A chart's time axis: the column used, its unit, its range cut into {@code bins} equal bins. */
    private record Axis(String col, String unit, long t0, long binWidth) {
        /** The bin of {@code expr} (a time in this axis' unit), clamped to the chart. */
        String bin(String expr, int bins) {
            return "greatest(0, least(CAST((" + expr + " - " + t0 + ") // " + binWidth + " AS INTEGER), " + (bins - 1)
                + "))";
        }
    }

    /** Uses {@code ts} (ns) when every row has one, else the fallback column (seq or raw cycles). */
    private Axis axis(String table, String ts, String fallback, String fallbackUnit, int fileId, String where)
        throws SQLException {
        boolean allTs = Db.count(c, "SELECT count(*) - count(" + ts + ") FROM " + table + " WHERE file_id = ?" + where,
            fileId) == 0;
        String col = allTs ? ts : fallback;
        try (PreparedStatement ps = c.prepareStatement("SELECT min(" + col + "), max(" + col + ") FROM " + table
            + " WHERE file_id = ?" + where)) {
            ps.setInt(1, fileId);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                long lo = r.getLong(1);
                long hi = r.getLong(2);
                long width = Math.max(1, (hi - lo) / opt.bins() + 1);
                return new Axis(col, allTs ? "ns" : fallbackUnit, lo, width);
            }
        }
    }

    private ReportData.DepthChart depth(ReportData.Input in, Axis ax, boolean marks) throws SQLException {
        int bins = opt.bins();
        List<Integer> cpus = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT cpu FROM mmu_ops WHERE file_id = ?"
            + " AND op = 'enq' ORDER BY cpu")) {
            ps.setInt(1, in.fileId());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    cpus.add(r.getInt(1));
                }
            }
        }
        if (cpus.isEmpty()) {
            return null;
        }
        List<Integer> shown = cpus.subList(0, Math.min(MAX_LANES, cpus.size()));
        int lastCpu = shown.get(shown.size() - 1);
        Map<Integer, long[]> depth = new LinkedHashMap<>();
        Map<Integer, List<ReportData.Mark>> mk = new LinkedHashMap<>();
        for (int cpu : shown) {
            depth.put(cpu, new long[bins]);
            mk.put(cpu, new ArrayList<>());
        }
        // Depth = enqueues since the CPU's last flush: number the flushes per CPU (fno), then count
        // the enqueues within each (cpu, fno) epoch; keep the deepest point of each time bin.
        String sql = "WITH o AS (SELECT cpu, " + ax.col() + " AS t, seq, op,"
            + "   sum(CASE WHEN op = 'flush' THEN 1 ELSE 0 END) OVER (PARTITION BY cpu ORDER BY seq"
            + "     ROWS UNBOUNDED PRECEDING) AS fno"
            + "   FROM mmu_ops WHERE file_id = ? AND cpu <= ? AND op IN ('enq', 'flush')),"
            + " d AS (SELECT cpu, t, CASE WHEN op = 'enq' THEN row_number() OVER (PARTITION BY cpu, fno, op"
            + "   ORDER BY seq) ELSE 0 END AS depth FROM o)"
            + " SELECT cpu, " + ax.bin("t", bins) + " AS bin, max(depth) FROM d GROUP BY ALL";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, in.fileId());
            ps.setInt(2, lastCpu);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    long[] d = depth.get(r.getInt(1));
                    if (d != null) {
                        d[r.getInt(2)] = r.getLong(3);
                    }
                }
            }
        }
        if (marks) {
            String t = ax.col().equals("ts") ? "reader_ts" : "reader_seq";
            String ms = "SELECT reader_cpu, " + ax.bin(t, bins) + " AS bin, count(*),"
                + " min(CASE label WHEN 'OBSERVED' THEN 0 WHEN 'LATENT' THEN 1 ELSE 2 END)"
                + " FROM violations WHERE file_id = ? AND " + t + " IS NOT NULL GROUP BY ALL ORDER BY 1, 2";
            try (PreparedStatement ps = c.prepareStatement(ms)) {
                ps.setInt(1, in.fileId());
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        List<ReportData.Mark> l = mk.get(r.getInt(1));
                        if (l != null) {
                            l.add(new ReportData.Mark(r.getInt(2), r.getLong(3), Label.values()[r.getInt(4)].text()));
                        }
                    }
                }
            }
        }
        List<ReportData.CpuLane> lanes = new ArrayList<>();
        for (int cpu : shown) {
            lanes.add(new ReportData.CpuLane(cpu, depth.get(cpu), mk.get(cpu)));
        }
        return new ReportData.DepthChart(in.fileId(), in.path(), ax.unit(), ax.t0(), ax.binWidth(), bins, lanes,
            cpus.size() - shown.size());
    }

    /** Power-of-two buckets of the {@code n} column of {@code sql} (its one parameter is the file id). */
    private ReportData.Histogram histogram(ReportData.Input in, String what, String sql) throws SQLException {
        Map<Integer, Long> b = new LinkedHashMap<>();
        int max = -1;
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN n <= 1 THEN 0 ELSE"
            + " CAST(ceil(log2(n)) AS INTEGER) END AS b, count(*) FROM (" + sql + ") GROUP BY b ORDER BY b")) {
            ps.setInt(1, in.fileId());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    b.put(r.getInt(1), r.getLong(2));
                    max = Math.max(max, r.getInt(1));
                }
            }
        }
        if (max < 0) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        long[] counts = new long[max + 1];
        for (int i = 0; i <= max; i++) {
            long hi = 1L << i;
            long lo = i == 0 ? 1 : (1L << (i - 1)) + 1;
            labels.add(lo == hi ? String.valueOf(hi) : lo + "-" + hi);
            counts[i] = b.getOrDefault(i, 0L);
        }
        return new ReportData.Histogram(in.fileId(), in.path(), what, labels, counts);
    }

    /** Rows per time bin, one series per value of {@code nameExpr} (the largest few; the rest is "other"). */
    private ReportData.RateChart rate(ReportData.Input in, Axis ax, String what, String table, String nameExpr,
                                      String where) throws SQLException {
        int bins = opt.bins();
        String sql = "WITH x AS (SELECT " + nameExpr + " AS name, " + ax.bin(ax.col(), bins) + " AS bin FROM " + table
            + " WHERE file_id = ? AND (" + where + ")),"
            + " top AS (SELECT name FROM x GROUP BY name ORDER BY count(*) DESC, name LIMIT " + MAX_SERIES + "),"
            + " y AS (SELECT coalesce(top.name, 'other') AS s, bin FROM x LEFT JOIN top ON x.name = top.name)"
            + " SELECT s, bin, count(*) FROM y GROUP BY s, bin ORDER BY s = 'other', s, bin";
        Map<String, long[]> series = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, in.fileId());
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    series.computeIfAbsent(r.getString(1), k -> new long[bins])[r.getInt(2)] += r.getLong(3);
                }
            }
        }
        List<ReportData.Series> out = new ArrayList<>();
        series.forEach((k, v) -> out.add(new ReportData.Series(k, v)));
        return new ReportData.RateChart(in.fileId(), in.path(), what, ax.unit(), ax.t0(), ax.binWidth(), bins, out);
    }

    static long sum(long[] a) {
        return Arrays.stream(a).sum();
    }
}
