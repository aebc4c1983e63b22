package org.ptorder.analyze.report;

import java.util.List;
import org.ptorder.analyze.diff.DiffData;

/** The report as Markdown (GitHub flavour): tables, and the charts as Unicode sparklines. */
public final class MarkdownReport {
    private MarkdownReport() { }

    public static String render(ReportData d) {
        StringBuilder sb = new StringBuilder();
        Verdict v = Verdict.of(d);
        sb.append("# ptorder report\n\n");
        sb.append("**Verdict: ").append(md(v.headline())).append("** — ").append(md(v.detail())).append("\n\n");
        analysed(sb, d);
        findings(sb, d);
        charts(sb, d.charts());
        scores(sb, d.scores());
        if (d.diff() != null) {
            diff(sb, d.diff(), "##");
        }
        return sb.toString();
    }

    /** {@code ptorder diff --format markdown}: the diff alone. */
    public static String renderDiff(DiffData d) {
        StringBuilder sb = new StringBuilder("# ptorder diff\n\n");
        diff(sb, d, "#");
        return sb.toString();
    }

    private static void analysed(StringBuilder sb, ReportData d) {
        ReportData.Meta m = d.meta();
        sb.append("## What was analysed\n\n");
        sb.append("Database `").append(code(m.database())).append("`, ").append(md(m.tool())).append(' ')
            .append(md(m.version())).append(m.generatedAt() == null ? "" : ", generated " + md(m.generatedAt()))
            .append(". Parameters: at most ").append(m.maxFindings()).append(" findings shown, ").append(m.perGroup())
            .append(" per class and label; ").append(m.bins()).append(" time bins per chart.\n\n");
        if (d.inputs().isEmpty()) {
            sb.append("No trace_files table: not a database written by 'ptorder ingest'.\n\n");
        } else {
            sb.append("| file | path | format | size | sha256 | records | CPUs | clock | lost | warnings |\n");
            sb.append("|--:|---|---|--:|---|--:|--:|---|--:|--:|\n");
            for (ReportData.Input in : d.inputs()) {
                sb.append("| ").append(in.fileId()).append(" | `").append(code(in.path())).append("` | ")
                    .append(md(in.format())).append(" | ").append(Fmt.bytes(in.sizeBytes())).append(" | `")
                    .append(code(in.sha256())).append("` | ").append(Fmt.count(in.records())).append(" | ")
                    .append(in.cpus()).append(" | ").append(md(clock(in))).append(" | ")
                    .append(Fmt.count(in.lostTotal())).append(" | ").append(Fmt.count(in.warnings())).append(" |\n");
            }
            sb.append('\n');
        }
        if (!d.clocks().isEmpty()) {
            sb.append("Clock alignment:\n\n| guest file | on xentrace file | method | matched | with same count | note |\n");
            sb.append("|--:|--:|---|--:|--:|---|\n");
            for (ReportData.Clock c : d.clocks()) {
                sb.append("| ").append(c.guestFileId()).append(" | ").append(c.xenFileId()).append(" | ")
                    .append(md(c.method())).append(" | ").append(c.matched() == null ? "–" : Fmt.count(c.matched()))
                    .append(" of ").append(c.guestCalls() == null ? "–" : Fmt.count(c.guestCalls())).append(" (")
                    .append(Fmt.percent(c.matchRate())).append(") | ")
                    .append(c.countAgrees() == null ? "–" : Fmt.count(c.countAgrees())).append(" | ")
                    .append(md(c.note())).append(" |\n");
            }
            sb.append('\n');
        }
        if (!d.checks().isEmpty()) {
            sb.append("Checked: ");
            boolean first = true;
            for (ReportData.CheckRunInfo c : d.checks()) {
                sb.append(first ? "" : "; ").append("file ").append(c.fileId()).append(", ").append(Fmt.count(c.ops()))
                    .append(" ops on ").append(c.cpus()).append(" CPUs (ptorder ").append(md(c.version()))
                    .append(c.options().isEmpty() ? "" : ", `" + code(c.options()) + "`").append(')');
                first = false;
            }
            sb.append(".\n\n");
        }
    }

    static String clock(ReportData.Input in) {
        return in.cpuHz() != null ? in.timeUnit() + " (" + Fmt.count(in.cpuHz()) + " Hz)" : in.timeUnit();
    }

    private static void findings(StringBuilder sb, ReportData d) {
        sb.append("## Findings\n\n");
        if (d.checks().isEmpty()) {
            sb.append("Not checked.\n\n");
            return;
        }
        if (d.counts().isEmpty()) {
            sb.append("No findings.\n\n");
        } else {
            sb.append("| class | label | count |\n|---|---|--:|\n");
            for (ReportData.ClassCount c : d.counts()) {
                sb.append("| ").append(md(c.cls())).append(" | ").append(md(c.label())).append(" | ")
                    .append(c.count()).append(" |\n");
            }
            sb.append("| **total** | | **").append(d.findingsTotal()).append("** |\n\n");
        }
        if (!d.undecided().isEmpty()) {
            sb.append("**Undecided** (what the trace cannot tell):\n\n");
            for (ReportData.UndecidedRow u : d.undecided()) {
                sb.append("- file ").append(u.fileId()).append(", **").append(md(u.classes())).append("**: ")
                    .append(md(u.reason())).append(u.count() == null ? "" : " (" + u.count() + ")").append('\n');
            }
            sb.append('\n');
        }
        String group = null;
        int shownInGroup = 0;
        int k = 0;
        for (ReportData.FindingRow f : d.findings()) {
            String g = f.cls() + " " + f.label();
            if (!g.equals(group)) {
                more(sb, d, group, shownInGroup);
                group = g;
                shownInGroup = 0;
                sb.append("### ").append(md(f.cls())).append(' ').append(md(f.label())).append(" — ")
                    .append(md(f.title())).append(" (").append(groupCount(d, f.cls(), f.label())).append(")\n\n");
            }
            shownInGroup++;
            finding(sb, ++k, f);
        }
        more(sb, d, group, shownInGroup);
        long rest = d.findingsTotal() - d.findings().size();
        if (rest > 0) {
            sb.append("Not shown: ").append(rest).append(" more findings (all are in the violations table; ")
                .append("raise --max-findings / --per-group).\n\n");
        }
    }

    static long groupCount(ReportData d, String cls, String label) {
        for (ReportData.ClassCount c : d.counts()) {
            if (c.cls().equals(cls) && c.label().equals(label)) {
                return c.count();
            }
        }
        return 0;
    }

    private static void more(StringBuilder sb, ReportData d, String group, int shown) {
        if (group == null) {
            return;
        }
        String[] g = group.split(" ", 2);
        long rest = groupCount(d, g[0], g[1]) - shown;
        if (rest > 0) {
            sb.append("… and ").append(rest).append(" more ").append(md(group)).append(" findings.\n\n");
        }
    }

    private static void finding(StringBuilder sb, int k, ReportData.FindingRow f) {
        sb.append("**").append(k).append(". ").append(md(f.cls())).append(' ').append(md(f.label())).append("** (file ")
            .append(f.fileId()).append(", coverage ").append(md(f.coverage()));
        place(sb, "pte", f.pte());
        place(sb, "va", f.va());
        place(sb, "frame", f.frame());
        sb.append(")\n\n");
        sb.append("- writer: ").append(event(f.writer())).append('\n');
        sb.append("- reader: ").append(event(f.reader())).append('\n');
        if (f.evidence() != null) {
            sb.append("- evidence: ").append(event(f.evidence())).append(": ").append(md(f.evidenceText())).append('\n');
        }
        if (f.hbPath() != null) {
            sb.append("- happens-before: ").append(md(f.hbPath())).append('\n');
        }
        if (f.missing() != null) {
            sb.append("- missing: ").append(md(f.missing())).append('\n');
        }
        if (f.rootCause() != null) {
            sb.append("- cause: ").append(md(f.rootCause())).append('\n');
        }
        if (f.note() != null) {
            sb.append("- note: ").append(md(f.note())).append('\n');
        }
        sb.append("- interleaving:\n");
        int i = 1;
        for (Interleaving.Step s : Interleaving.of(f.interleaving()).steps()) {
            sb.append("  ").append(i++).append(". ").append(s.cpu() < 0 ? "" : "cpu" + s.cpu() + ": ")
                .append(md(s.text())).append('\n');
        }
        sb.append('\n');
    }

    private static void place(StringBuilder sb, String k, String v) {
        if (v != null) {
            sb.append(", ").append(k).append(" `").append(code(v)).append('`');
        }
    }

    static String event(ReportData.Event e) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(e.seq()).append(" cpu").append(e.cpu());
        if (e.ts() != null) {
            sb.append(" t=").append(e.ts());
        }
        if (!e.where().isEmpty()) {
            sb.append(' ').append(e.where());
        }
        if (e.op() != null) {
            sb.append(" `").append(code(e.op())).append('`');
        }
        if (e.loc() != null) {
            sb.append(" at `").append(code(e.loc())).append('`');
        }
        return sb.toString();
    }

    private static final String SPARK = "▁▂▃▄▅▆▇█";

    /** A row of block characters, one per bin, scaled to the row's maximum. */
    static String sparkline(long[] v) {
        long max = 0;
        for (long x : v) {
            max = Math.max(max, x);
        }
        StringBuilder sb = new StringBuilder();
        for (long x : v) {
            sb.append(x == 0 ? ' ' : SPARK.charAt((int) Math.min(7, (x * 8 - 1) / max)));
        }
        return sb.toString();
    }

    private static void charts(StringBuilder sb, ReportData.Charts c) {
        sb.append("## Charts\n\n");
        for (ReportData.DepthChart d : c.queueDepth()) {
            sb.append("Queue depth per CPU, file ").append(d.fileId()).append(" (`").append(code(d.path()))
                .append("`; ").append(d.bins()).append(" bins of ").append(Fmt.time(d.binWidth(), d.axis()))
                .append("; deepest queue per bin):\n\n```\n");
            for (ReportData.CpuLane l : d.lanes()) {
                long max = 0;
                for (long x : l.maxDepth()) {
                    max = Math.max(max, x);
                }
                long marks = l.marks().stream().mapToLong(ReportData.Mark::count).sum();
                sb.append(String.format(java.util.Locale.ROOT, "cpu%-3d max %4d |", l.cpu(), max))
                    .append(sparkline(l.maxDepth())).append("| ").append(marks).append(" findings\n");
            }
            if (d.cpusNotShown() > 0) {
                sb.append("(").append(d.cpusNotShown()).append(" more CPUs not shown)\n");
            }
            sb.append("```\n\n");
        }
        for (ReportData.Histogram h : c.batchSizes()) {
            sb.append("Batch sizes, file ").append(h.fileId()).append(", ").append(md(h.what())).append(":\n\n| size |");
            for (String b : h.bucketLabels()) {
                sb.append(' ').append(b).append(" |");
            }
            sb.append("\n|---|").append("--:|".repeat(h.bucketLabels().size())).append("\n| batches |");
            for (long n : h.counts()) {
                sb.append(' ').append(n).append(" |");
            }
            sb.append("\n\n");
        }
        for (ReportData.RateChart r : c.hypercallRate()) {
            sb.append("Rate over time, file ").append(r.fileId()).append(", ").append(md(r.what())).append(" (")
                .append(r.bins()).append(" bins of ").append(Fmt.time(r.binWidth(), r.axis())).append("):\n\n```\n");
            for (ReportData.Series s : r.series()) {
                sb.append(String.format(java.util.Locale.ROOT, "%-18s %8d |", trim(s.name(), 18),
                    ReportLoader.sum(s.counts()))).append(sparkline(s.counts())).append("|\n");
            }
            sb.append("```\n\n");
        }
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static void scores(StringBuilder sb, ReportData.Scores s) {
        sb.append("## Scheme comparison\n\n");
        if (s == null) {
            sb.append("Not scored: the database has no scheme_scores table (run 'ptorder score').\n\n");
            return;
        }
        sb.append("Parameter set `").append(code(s.paramSet())).append('`');
        if (s.paramSets().size() > 1) {
            sb.append(" (also in the database: ");
            List<String> others = s.paramSets().stream().filter(p -> !p.equals(s.paramSet())).toList();
            sb.append(md(String.join(", ", others))).append(')');
        }
        sb.append(". Ranges are [low – high] over the uncertain cost parameters.\n\n");
        sb.append("| scheme | metric | value | range | unit |\n|---|---|--:|---|---|\n");
        for (ReportData.ScoreRow r : s.rows()) {
            sb.append("| ").append(md(r.scheme())).append(" | ").append(md(r.metric())).append(" | ")
                .append(Fmt.num(r.value())).append(" | ")
                .append(r.low() == null && r.high() == null ? "" : "[" + Fmt.num(r.low()) + " – " + Fmt.num(r.high()) + "]")
                .append(" | ").append(md(r.unit())).append(" |\n");
        }
        sb.append('\n');
    }

    static void diff(StringBuilder sb, DiffData d, String h) {
        sb.append(h).append(" Changes: ").append(md(d.mode().equals("schemes") ? "scheme " : "")).append('`')
            .append(code(d.a())).append("` → `").append(code(d.b())).append("`\n\n");
        sb.append("Finding groups (class, PTE/VA, code location): ").append(d.added()).append(" new, ")
            .append(d.gone()).append(" gone, ").append(d.relabelled()).append(" with other labels, ")
            .append(d.matched()).append(" matched.\n\n");
        for (String n : d.notes()) {
            sb.append("- note: ").append(md(n)).append('\n');
        }
        if (!d.notes().isEmpty()) {
            sb.append('\n');
        }
        if (!d.findings().isEmpty()) {
            sb.append("| change | class | where | writer at | reader at | A | B | example |\n");
            sb.append("|---|---|---|---|---|--:|--:|---|\n");
            for (DiffData.FindingDelta f : d.findings()) {
                sb.append("| ").append(f.change()).append(" | ").append(md(f.cls())).append(" | `")
                    .append(code(f.place())).append("` | ").append(md(f.writerLoc())).append(" | ")
                    .append(md(f.readerLoc())).append(" | ").append(f.countA())
                    .append(f.labelsA() == null ? "" : " " + md(f.labelsA())).append(" | ").append(f.countB())
                    .append(f.labelsB() == null ? "" : " " + md(f.labelsB())).append(" | ").append(md(f.example()))
                    .append(" |\n");
            }
            if (d.findingsLeft() > 0) {
                sb.append("\n… and ").append(d.findingsLeft()).append(" more changed groups.\n");
            }
            sb.append('\n');
        }
        List<DiffData.MetricDelta> changed = d.metrics().stream().filter(DiffData.MetricDelta::changed).toList();
        sb.append("Metrics: ").append(changed.size()).append(" of ").append(d.metrics().size())
            .append(" changed (unchanged ones are in the JSON).\n\n");
        if (!changed.isEmpty()) {
            sb.append("| metric | A | B | change | relative | beyond uncertainty |\n|---|--:|--:|--:|--:|---|\n");
            for (DiffData.MetricDelta m : changed) {
                sb.append("| ").append(md(m.metric())).append(m.unit() == null ? "" : " (" + md(m.unit()) + ")")
                    .append(" | ").append(Fmt.num(m.a())).append(" | ").append(Fmt.num(m.b())).append(" | ")
                    .append(m.delta() == null ? "" : (m.delta() > 0 ? "+" : "") + Fmt.num(m.delta())).append(" | ")
                    .append(Fmt.relative(m.relative())).append(" | ").append(m.significant() ? "yes" : "no")
                    .append(" |\n");
            }
            sb.append('\n');
        }
    }

    /** Text from the trace, made inert: no Markdown or HTML it contains takes effect, and it stays on one line. */
    static String md(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\', '`', '*', '_', '[', ']', '|', '#', '~', '!' -> sb.append('\\').append(ch);
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\n', '\r', '\t' -> sb.append(' ');
                default -> sb.append(ch < 0x20 ? ' ' : ch);
            }
        }
        return sb.toString();
    }

    /** Text inside a code span: a backtick would end it, a pipe would split a table cell, a newline the line. */
    static String code(String s) {
        if (s == null) {
            return "";
        }
        return s.replace('`', '\'').replace("|", "\\|").replaceAll("[\\r\\n\\t\\x00-\\x1f]", " ");
    }
}
