package org.ptorder.analyze.scheme;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/**
 * Fits T_flush(n) = h + n*u (ordering-model §5.1) to the durations Xen measured for mmu_update
 * hypercalls: preferably the guest flushes matched to their Xen records ({@code flush_matches}:
 * a shared TSC, as in run-b), else every mmu_update record of the xentrace file. Xen writes no exit
 * record for a PV hypercall, so a duration is the time to the next record on that pCPU: an upper
 * bound. The fit therefore uses the median per batch size (robust to the long tails), weighted by
 * the number of calls, and says how well the line fits the medians (weighted R^2, RMS residual).
 */
public final class Calibration {
    private Calibration() { }

    /** A fitted h and u with the quality of the fit. */
    public record Fit(double hNs, double uNs, long calls, int sizes, double r2, double rmsNs, String source,
                      List<double[]> medians) {
        public String describe() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "h = %.0f ns, u = %.1f ns/entry from %d"
                + " mmu_update calls (%s) over %d batch sizes; weighted R^2 = %.3f, RMS residual of the per-size"
                + " medians %.0f ns; median by size:", hNs, uNs, calls, source, sizes, r2, rmsNs));
            for (int i = 0; i < Math.min(8, medians.size()); i++) {
                double[] m = medians.get(i);
                sb.append(String.format(Locale.ROOT, " n=%d %.1f us (%d)", (long) m[0], m[1] / 1000, (long) m[2]));
            }
            return sb.append(medians.size() > 8 ? " ..." : "").toString();
        }

        public ScoreParams apply(ScoreParams p) {
            return p.with("hypercall_ns", Math.max(0, Math.round(hNs))).with("mmu_update_entry_ns",
                Math.max(0, Math.round(uNs * 10) / 10.0));
        }
    }

    /** From a database (flush_matches, else hypercalls) or a xentrace file (ingested first with {@code cpuHz}). */
    public static Fit fit(Path file, long cpuHz) throws Exception {
        if (CheckRun.isDuckDb(file)) {
            try (Connection c = DuckStore.open(file, false)) {
                return fit(c, file);
            }
        }
        if (cpuHz <= 0) {
            throw TraceInputException.whole(file, "--calibrate with a xentrace file needs --cpu-hz (the host's TSC"
                + " rate) to turn cycles into ns; or give a database ingested with --cpu-hz");
        }
        Ingest.Options opts = new Ingest.Options(cpuHz, Progress.NONE);
        return Ingest.intoTemporaryDatabase(List.of(file), opts, "calibrate", db -> {
            try (Connection c = DuckStore.open(db, false)) {
                return fit(c, file);
            }
        });
    }

    static Fit fit(Connection c, Path file) throws SQLException {
        String matched = "SELECT m.xen_count AS n, m.dur_cycles * 1e9 / t.cpu_hz AS ns FROM flush_matches m"
            + " JOIN trace_files t ON t.file_id = m.xen_file_id WHERE m.expected_op = 1 AND m.xen_count IS NOT NULL"
            + " AND m.dur_cycles IS NOT NULL AND t.cpu_hz IS NOT NULL AND m.xen_count > 0";
        String all = "WITH r AS (SELECT file_id, seq, lead(tsc) OVER (PARTITION BY file_id, cpu ORDER BY seq) - tsc AS"
            + " dur FROM records) SELECT h.count AS n, r.dur * 1e9 / t.cpu_hz AS ns FROM hypercalls h JOIN r USING"
            + " (file_id, seq) JOIN trace_files t ON t.file_id = h.file_id WHERE h.op = 1 AND NOT h.is_subcall AND"
            + " h.count > 0 AND r.dur IS NOT NULL AND t.cpu_hz IS NOT NULL";
        String source;
        String points;
        if (CheckRun.hasTable(c, "flush_matches") && count(c, matched) >= 10) {
            source = "guest flushes matched to Xen records";
            points = matched;
        } else if (CheckRun.hasTable(c, "hypercalls") && CheckRun.hasTable(c, "records")) {
            source = "every mmu_update record of the xentrace file";
            points = all;
        } else {
            throw TraceInputException.whole(file, "nothing to calibrate from: no flush_matches or hypercalls table"
                + " (ingest a xentrace file with --cpu-hz, with its guest trace for matched flushes)");
        }
        List<double[]> med = new ArrayList<>(); // {n, median ns, calls}
        long calls = 0;
        try (Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT n, median(ns), count(*) FROM (" + points + ") GROUP BY n ORDER BY n")) {
            while (r.next()) {
                med.add(new double[] {r.getLong(1), r.getDouble(2), r.getLong(3)});
                calls += r.getLong(3);
            }
        }
        if (calls < 10 || med.size() < 2) {
            throw TraceInputException.whole(file, "too few mmu_update durations to fit h and u (" + calls + " calls, "
                + med.size() + " batch sizes; at least 10 calls over 2 sizes needed)");
        }
        return line(med, calls, source);
    }

    /** Weighted least squares of median ns on n. */
    static Fit line(List<double[]> med, long calls, String source) {
        double sw = 0;
        double sx = 0;
        double sy = 0;
        for (double[] m : med) {
            sw += m[2];
            sx += m[2] * m[0];
            sy += m[2] * m[1];
        }
        double mx = sx / sw;
        double my = sy / sw;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (double[] m : med) {
            sxx += m[2] * (m[0] - mx) * (m[0] - mx);
            sxy += m[2] * (m[0] - mx) * (m[1] - my);
            syy += m[2] * (m[1] - my) * (m[1] - my);
        }
        double u = sxx == 0 ? 0 : sxy / sxx;
        double h = my - u * mx;
        double res = 0;
        double rms = 0;
        for (double[] m : med) {
            double e = m[1] - (h + u * m[0]);
            res += m[2] * e * e;
            rms += e * e;
        }
        double r2 = syy == 0 ? 1 : 1 - res / syy;
        return new Fit(h, u, calls, med.size(), r2, Math.sqrt(rms / med.size()), source, med);
    }

    private static long count(Connection c, String q) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT count(*) FROM (" + q + ")")) {
            r.next();
            return r.getLong(1);
        }
    }
}
