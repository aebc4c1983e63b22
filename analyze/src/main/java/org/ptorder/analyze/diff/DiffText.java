package org.ptorder.analyze.diff;

import java.io.PrintWriter;
import java.util.List;
import org.ptorder.analyze.report.Fmt;

/** {@code ptorder diff} on a terminal: the finding groups that changed, then the metrics that changed. */
public final class DiffText {
    private DiffText() { }

    public static void print(DiffData d, boolean allMetrics, PrintWriter out) {
        out.printf("ptorder diff: %s%s -> %s%n", d.mode().equals("schemes") ? "scheme " : "", d.a(), d.b());
        out.printf("findings (matched by class, PTE/VA, code location): %d new, %d gone, %d with other labels,"
            + " %d matched%n", d.added(), d.gone(), d.relabelled(), d.matched());
        for (String n : d.notes()) {
            out.println("note: " + n);
        }
        if (!d.findings().isEmpty()) {
            out.println();
            out.printf("  %-6s %-13s %-24s %-18s %-18s %10s %10s  %s%n", "change", "class", "where", "writer at",
                "reader at", "A", "B", "example");
            for (DiffData.FindingDelta f : d.findings()) {
                out.printf("  %-6s %-13s %-24s %-18s %-18s %10s %10s  %s%n", f.change(), f.cls(), f.place(),
                    f.writerLoc(), f.readerLoc(), side(f.countA(), f.labelsA()), side(f.countB(), f.labelsB()),
                    f.example());
            }
            if (d.findingsLeft() > 0) {
                out.printf("  ... %d more changed groups (--max-findings, or --format json)%n", d.findingsLeft());
            }
        }
        List<DiffData.MetricDelta> shown = allMetrics ? d.metrics()
            : d.metrics().stream().filter(DiffData.MetricDelta::changed).toList();
        out.println();
        out.printf("metrics: %d of %d changed%s%n", d.metrics().stream().filter(DiffData.MetricDelta::changed).count(),
            d.metrics().size(), allMetrics ? "" : " (--all shows every one)");
        if (!shown.isEmpty()) {
            int w = 20;
            for (DiffData.MetricDelta m : shown) {
                w = Math.max(w, m.metric().length());
            }
            out.printf("  %-" + w + "s %14s %14s %14s %9s  %s%n", "metric", "A", "B", "change", "relative", "");
            for (DiffData.MetricDelta m : shown) {
                out.printf("  %-" + w + "s %14s %14s %14s %9s  %s%n", m.metric(), Fmt.num(m.a()), Fmt.num(m.b()),
                    m.delta() == null ? "" : (m.delta() > 0 ? "+" : "") + Fmt.num(m.delta()), Fmt.relative(m.relative()),
                    m.changed() && !m.significant() ? "(within uncertainty)" : "");
            }
        }
        out.flush();
    }

    private static String side(long n, String labels) {
        return n == 0 ? "-" : labels == null ? String.valueOf(n) : n + " " + labels.replace("BENIGN-RACE", "RACE");
    }
}
