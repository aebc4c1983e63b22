package org.ptorder.analyze.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.analyze.check.ViolationClass;
import org.ptorder.analyze.diff.DiffData;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
 * Every string from the trace or the database is escaped ({@link Html#esc}). Element ids and
 * classes that tests and tools may rely on: {@code #verdict}, {@code #finding-total} (with
 * {@code data-count}), {@code #finding-summary td.count}, {@code article.finding}, {@code p.more}
 * (with {@code data-count}), {@code svg.chart}, {@code svg.lanes}.
 */
public final class HtmlReport {
    private HtmlReport() { }

    private static final String CSS = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#212121;margin:0;background:#fafafa}
        main{max-width:1080px;margin:0 auto;padding:16px 24px 48px}
        h1{font-size:22px;margin:8px 0 12px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
        h3{font-size:15px;margin:18px 0 6px}
        table{border-collapse:collapse;margin:6px 0 12px;background:#fff}
        th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px;word-break:break-all}
        .verdict{padding:12px 16px;border-radius:6px;color:#fff;margin:8px 0 16px}
        .verdict b{font-size:18px;display:block}
        .verdict-observed{background:#c62828}.verdict-latent{background:#ef6c00}
        .verdict-benign-race{background:#1565c0}.verdict-clean{background:#2e7d32}.verdict-not-checked{background:#616161}
        .chips span{display:inline-block;background:#fff;border:1px solid #ccc;border-radius:12px;padding:1px 10px;margin:2px 6px 2px 0}
        article.finding{background:#fff;border:1px solid #ddd;border-left:5px solid #999;border-radius:4px;padding:8px 12px;margin:10px 0}
        article.OBSERVED{border-left-color:#c62828}article.LATENT{border-left-color:#ef6c00}article.BENIGN-RACE{border-left-color:#1565c0}
        .label{font-weight:600;padding:0 6px;border-radius:3px;color:#fff}
        .label.OBSERVED{background:#c62828}.label.LATENT{background:#ef6c00}.label.BENIGN-RACE{background:#1565c0}
        dl{display:grid;grid-template-columns:120px 1fr;gap:2px 10px;margin:6px 0}dt{color:#616161}dd{margin:0}
        ol.steps{margin:4px 0 0;padding-left:24px}
        .more{color:#616161;font-style:italic}
        svg{display:block;max-width:100%;height:auto;margin:6px 0}
        svg text{font:11px system-ui,sans-serif;fill:#424242}
        svg .chart-title{font-weight:600}
        svg .axis,svg .lane-base{stroke:#9e9e9e;stroke-width:1}
        svg .depth{fill:#90caf9;stroke:#1565c0;stroke-width:.3}
        svg .bar{fill:#64b5f6}
        svg .whisker{stroke:#212121;stroke-width:1.5;fill:none}
        svg .series{stroke-width:1.5}
        svg .lane-line{stroke:#bdbdbd;stroke-dasharray:3 3}
        svg .order{stroke:#757575;stroke-width:1}
        svg .outcome{stroke:#c62828;stroke-dasharray:4 3}
        svg .step{fill:#fff;stroke:#424242;stroke-width:1.5}
        svg .step-num{font-weight:600}svg .step-op{font-size:10px;fill:#616161}
        .note{color:#616161}
        .grid{display:flex;flex-wrap:wrap;gap:8px 28px}figure{margin:0}figcaption{font-size:12.5px;color:#424242}
        .new{color:#c62828;font-weight:600}.gone{color:#2e7d32;font-weight:600}
        """;

    public static String render(ReportData d) {
        StringBuilder sb = new StringBuilder(1 << 16);
        head(sb, "ptorder report");
        Verdict v = Verdict.of(d);
        sb.append("<h1>ptorder report</h1>\n");
        sb.append("<div id=\"verdict\" class=\"verdict verdict-").append(v.level()).append("\"><b>")
            .append(Html.esc(v.headline())).append("</b>").append(Html.esc(v.detail())).append("</div>\n");
        chips(sb, d);
        analysed(sb, d);
        findingSummary(sb, d);
        if (d.diff() != null) {
            diff(sb, d.diff());
        }
        charts(sb, d.charts());
        scores(sb, d.scores());
        findingDetails(sb, d);
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** {@code ptorder diff -o FILE.html}: the diff alone, on a page of its own. */
    public static String renderDiff(DiffData d) {
        StringBuilder sb = new StringBuilder();
        head(sb, "ptorder diff");
        sb.append("<h1>ptorder diff</h1>\n");
        diff(sb, d);
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void head(StringBuilder sb, String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // nothing on this page may load anything: the report must stand alone
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';")
            .append(" img-src data:\">\n<title>").append(Html.esc(title)).append("</title>\n<style>\n").append(CSS)
            .append("</style>\n</head>\n<body>\n<main>\n");
    }

    private static void chips(StringBuilder sb, ReportData d) {
        long[] byLabel = new long[3];
        for (ReportData.ClassCount c : d.counts()) {
            byLabel[Math.min(2, ReportLoader.labelRank(c.label()))] += c.count();
        }
        sb.append("<p class=\"chips\"><span>findings: <b id=\"finding-total\" data-count=\"").append(d.findingsTotal())
            .append("\">").append(Fmt.count(d.findingsTotal())).append("</b></span><span>observed: ")
            .append(Fmt.count(byLabel[0])).append("</span><span>latent: ").append(Fmt.count(byLabel[1]))
            .append("</span><span>benign-race: ").append(Fmt.count(byLabel[2])).append("</span><span>inputs: ")
            .append(d.inputs().size()).append("</span><span>undecided: ").append(d.undecided().size())
            .append("</span><span>schemes: ").append(d.scores() == null ? "not scored" : "scored")
            .append("</span></p>\n");
    }

    private static void analysed(StringBuilder sb, ReportData d) {
        ReportData.Meta m = d.meta();
        sb.append("<h2 id=\"analysed\">What was analysed</h2>\n<p>Database <code>").append(Html.esc(m.database()))
            .append("</code>; ").append(Html.esc(m.tool())).append(' ').append(Html.esc(m.version()))
            .append(m.generatedAt() == null ? "" : "; generated " + Html.esc(m.generatedAt()))
            .append(". Parameters: at most ").append(m.maxFindings()).append(" findings shown, ").append(m.perGroup())
            .append(" per class and label; ").append(m.bins()).append(" time bins per chart.</p>\n");
        if (d.inputs().isEmpty()) {
            sb.append("<p>No trace_files table: not a database written by <code>ptorder ingest</code>.</p>\n");
        } else {
            sb.append("<table id=\"inputs\"><tr><th class=\"n\">file</th><th>path</th><th>format</th><th class=\"n\">size</th>")
                .append("<th>sha256</th><th class=\"n\">records</th><th class=\"n\">CPUs</th><th>clock</th>")
                .append("<th class=\"n\">lost</th><th class=\"n\">warnings</th></tr>\n");
            for (ReportData.Input in : d.inputs()) {
                sb.append("<tr><td class=\"n\">").append(in.fileId()).append("</td><td><code>").append(Html.esc(in.path()))
                    .append("</code></td><td>").append(Html.esc(in.format())).append("</td><td class=\"n\" title=\"")
                    .append(in.sizeBytes()).append(" bytes\">").append(Fmt.bytes(in.sizeBytes()))
                    .append("</td><td><code>").append(Html.esc(in.sha256())).append("</code></td><td class=\"n\">")
                    .append(Fmt.count(in.records())).append("</td><td class=\"n\">").append(in.cpus())
                    .append("</td><td>").append(Html.esc(MarkdownReport.clock(in))).append("</td><td class=\"n\">")
                    .append(Fmt.count(in.lostTotal())).append("</td><td class=\"n\">").append(Fmt.count(in.warnings()))
                    .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        if (!d.clocks().isEmpty()) {
            sb.append("<h3>Clocks and their alignment</h3>\n<table id=\"clocks\"><tr><th class=\"n\">guest file</th>")
                .append("<th class=\"n\">on xentrace file</th><th>method</th><th class=\"n\">slope</th>")
                .append("<th class=\"n\">offset (cycles)</th><th class=\"n\">matched</th><th class=\"n\">same count</th>")
                .append("<th class=\"n\">median gap (cycles)</th><th>note</th></tr>\n");
            for (ReportData.Clock c : d.clocks()) {
                sb.append("<tr><td class=\"n\">").append(c.guestFileId()).append("</td><td class=\"n\">")
                    .append(c.xenFileId()).append("</td><td>").append(Html.esc(c.method())).append("</td><td class=\"n\">")
                    .append(Fmt.num(c.slope())).append("</td><td class=\"n\">").append(Fmt.num(c.offsetCycles()))
                    .append("</td><td class=\"n\">").append(c.matched() == null ? "–" : Fmt.count(c.matched()))
                    .append(" of ").append(c.guestCalls() == null ? "–" : Fmt.count(c.guestCalls())).append(" (")
                    .append(Fmt.percent(c.matchRate())).append(")</td><td class=\"n\">")
                    .append(c.countAgrees() == null ? "–" : Fmt.count(c.countAgrees())).append("</td><td class=\"n\">")
                    .append(c.medianGapCycles() == null ? "–" : Fmt.count(c.medianGapCycles())).append("</td><td>")
                    .append(Html.esc(c.note())).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        if (!d.checks().isEmpty()) {
            sb.append("<h3>Checks</h3>\n<table id=\"checks\"><tr><th class=\"n\">file</th><th class=\"n\">ops</th>")
                .append("<th class=\"n\">CPUs</th><th>checker</th><th>options</th></tr>\n");
            for (ReportData.CheckRunInfo c : d.checks()) {
                sb.append("<tr><td class=\"n\">").append(c.fileId()).append("</td><td class=\"n\">")
                    .append(Fmt.count(c.ops())).append("</td><td class=\"n\">").append(c.cpus())
                    .append("</td><td>ptorder ").append(Html.esc(c.version())).append("</td><td><code>")
                    .append(Html.esc(c.options())).append("</code></td></tr>\n");
            }
            sb.append("</table>\n");
        }
    }

    private static void findingSummary(StringBuilder sb, ReportData d) {
        sb.append("<h2 id=\"findings\">Findings</h2>\n");
        if (d.checks().isEmpty()) {
            sb.append("<p>Not checked: run <code>ptorder check</code> on the database, or <code>ptorder analyze</code>.</p>\n");
            return;
        }
        sb.append("<table id=\"finding-summary\"><tr><th>class</th><th>label</th><th>what</th><th class=\"n\">count</th></tr>\n");
        for (ReportData.ClassCount c : d.counts()) {
            ViolationClass vc = ViolationClass.parse(c.cls());
            sb.append("<tr><td><a href=\"#g-").append(anchor(c.cls() + "-" + c.label())).append("\">")
                .append(Html.esc(c.cls())).append("</a></td><td><span class=\"label ").append(Html.esc(c.label()))
                .append("\">").append(Html.esc(c.label())).append("</span></td><td>")
                .append(vc == null ? "" : Html.esc(vc.title())).append("</td><td class=\"n count\" data-count=\"")
                .append(c.count()).append("\">").append(Fmt.count(c.count())).append("</td></tr>\n");
        }
        sb.append("<tr><th colspan=\"3\">total</th><th class=\"n\" id=\"finding-table-total\">")
            .append(Fmt.count(d.findingsTotal())).append("</th></tr>\n</table>\n");
        if (d.counts().isEmpty()) {
            sb.append("<p>No findings.</p>\n");
        }
        if (!d.undecided().isEmpty()) {
            sb.append("<h3>Undecided: what the trace cannot tell</h3>\n<ul id=\"undecided\">\n");
            for (ReportData.UndecidedRow u : d.undecided()) {
                sb.append("<li>file ").append(u.fileId()).append(", <b>").append(Html.esc(u.classes())).append("</b>: ")
                    .append(Html.esc(u.reason())).append(u.count() == null ? "" : " (" + u.count() + ")").append("</li>\n");
            }
            sb.append("</ul>\n");
        }
    }

    private static void findingDetails(StringBuilder sb, ReportData d) {
        if (d.counts().isEmpty()) {
            return;
        }
        sb.append("<h2 id=\"finding-details\">Findings with their evidence</h2>\n");
        Map<String, List<ReportData.FindingRow>> groups = new LinkedHashMap<>();
        for (ReportData.FindingRow f : d.findings()) {
            groups.computeIfAbsent(f.cls() + " " + f.label(), k -> new ArrayList<>()).add(f);
        }
        // groups cut away entirely by --max-findings still get their heading and count
        for (ReportData.ClassCount c : d.counts()) {
            groups.putIfAbsent(c.cls() + " " + c.label(), List.of());
        }
        int k = 0;
        for (Map.Entry<String, List<ReportData.FindingRow>> g : groups.entrySet()) {
            String[] cl = g.getKey().split(" ", 2);
            long total = MarkdownReport.groupCount(d, cl[0], cl[1]);
            ViolationClass vc = ViolationClass.parse(cl[0]);
            sb.append("<h3 id=\"g-").append(anchor(cl[0] + "-" + cl[1])).append("\">").append(Html.esc(cl[0]))
                .append(" <span class=\"label ").append(Html.esc(cl[1])).append("\">").append(Html.esc(cl[1]))
                .append("</span> ").append(vc == null ? "" : Html.esc(vc.title())).append(" (")
                .append(Fmt.count(total)).append(")</h3>\n");
            for (ReportData.FindingRow f : g.getValue()) {
                finding(sb, ++k, f);
            }
            long rest = total - g.getValue().size();
            if (rest > 0) {
                sb.append("<p class=\"more\" data-count=\"").append(rest).append("\">… and ").append(Fmt.count(rest))
                    .append(" more ").append(Html.esc(g.getKey()))
                    .append(" findings (all are in the violations table; raise --per-group or --max-findings).</p>\n");
            }
        }
    }

    private static String anchor(String s) {
        return s.replaceAll("[^A-Za-z0-9-]", "_");
    }

    private static void finding(StringBuilder sb, int k, ReportData.FindingRow f) {
        sb.append("<article class=\"finding ").append(Html.esc(f.label())).append("\" id=\"f").append(k)
            .append("\" data-class=\"").append(Html.esc(f.cls())).append("\" data-label=\"").append(Html.esc(f.label()))
            .append("\">\n<b>").append(k).append(". ").append(Html.esc(f.cls())).append("</b> <span class=\"label ")
            .append(Html.esc(f.label())).append("\">").append(Html.esc(f.label())).append("</span> file ")
            .append(f.fileId()).append(", coverage ").append(Html.esc(f.coverage()));
        for (String[] p : new String[][] {{"pte", f.pte()}, {"va", f.va()}, {"frame", f.frame()}}) {
            if (p[1] != null) {
                sb.append(", ").append(p[0]).append(" <code>").append(Html.esc(p[1])).append("</code>");
            }
        }
        sb.append("\n<dl>");
        dd(sb, "writer", event(f.writer()));
        dd(sb, "reader", event(f.reader()));
        if (f.evidence() != null) {
            dd(sb, "evidence", event(f.evidence()) + ": " + Html.esc(f.evidenceText()));
        }
        if (f.hbPath() != null) {
            dd(sb, "happens-before", "<span class=\"mono\">" + Html.esc(f.hbPath()) + "</span>");
        }
        if (f.missing() != null) {
            dd(sb, "missing", Html.esc(f.missing()));
        }
        if (f.rootCause() != null) {
            dd(sb, "cause", Html.esc(f.rootCause()));
        }
        if (f.note() != null) {
            dd(sb, "note", Html.esc(f.note()));
        }
        sb.append("</dl>\n");
        Interleaving il = Interleaving.of(f.interleaving());
        if (!il.steps().isEmpty()) {
            sb.append(SvgCharts.lanes(il)).append("\n<ol class=\"steps\">");
            for (Interleaving.Step s : il.steps()) {
                sb.append("<li>").append(s.cpu() < 0 ? "" : "<b>cpu" + s.cpu() + "</b>: ").append(Html.esc(s.text()))
                    .append("</li>");
            }
            sb.append("</ol>\n");
        }
        sb.append("</article>\n");
    }

    private static void dd(StringBuilder sb, String k, String html) {
        sb.append("<dt>").append(k).append("</dt><dd>").append(html).append("</dd>");
    }

    private static String event(ReportData.Event e) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(e.seq()).append(" cpu").append(e.cpu());
        if (e.ts() != null) {
            sb.append(" t=").append(e.ts());
        }
        if (!e.where().isEmpty()) {
            sb.append(", <b>").append(e.where()).append("</b>");
        }
        if (e.op() != null) {
            sb.append(" <code>").append(Html.esc(e.op())).append("</code>");
        }
        if (e.loc() != null) {
            sb.append(" at <code>").append(Html.esc(e.loc())).append("</code>");
        }
        return sb.toString();
    }

    private static void charts(StringBuilder sb, ReportData.Charts c) {
        sb.append("<h2 id=\"charts\">Charts</h2>\n");
        if (c.queueDepth().isEmpty() && c.batchSizes().isEmpty() && c.hypercallRate().isEmpty()) {
            sb.append("<p>No guest ops or hypercalls to chart.</p>\n");
        }
        for (ReportData.DepthChart d : c.queueDepth()) {
            sb.append("<h3>Queue depth per CPU: file ").append(d.fileId()).append(" <code>").append(Html.esc(d.path()))
                .append("</code></h3>\n<p class=\"note\">Entries queued and not yet flushed, deepest point of each of ")
                .append(d.bins()).append(" bins of ").append(Html.esc(Fmt.time(d.binWidth(), d.axis())))
                .append("; triangles mark findings at their reader's time (red observed, orange latent, blue race).")
                .append(d.cpusNotShown() > 0 ? " " + d.cpusNotShown() + " more CPUs not shown." : "")
                .append("</p>\n").append(SvgCharts.queueDepth(d)).append('\n');
        }
        if (!c.batchSizes().isEmpty()) {
            sb.append("<h3>Batch sizes</h3>\n<div class=\"grid\">\n");
            for (ReportData.Histogram h : c.batchSizes()) {
                sb.append("<figure><figcaption>file ").append(h.fileId()).append(", ").append(Html.esc(h.what()))
                    .append("</figcaption>").append(SvgCharts.histogram(h)).append("</figure>\n");
            }
            sb.append("</div>\n");
        }
        for (ReportData.RateChart r : c.hypercallRate()) {
            sb.append("<h3>Rate over time: file ").append(r.fileId()).append(", ").append(Html.esc(r.what()))
                .append("</h3>\n").append(SvgCharts.rate(r)).append('\n');
        }
    }

    private static void scores(StringBuilder sb, ReportData.Scores s) {
        sb.append("<h2 id=\"schemes\">Scheme comparison</h2>\n");
        if (s == null) {
            sb.append("<p id=\"not-scored\">Not scored: the database has no <code>scheme_scores</code> table ")
                .append("(run <code>ptorder score</code>).</p>\n");
            return;
        }
        sb.append("<p>Parameter set <code>").append(Html.esc(s.paramSet())).append("</code>");
        if (s.paramSets().size() > 1) {
            sb.append(" (also in the database: ").append(Html.esc(String.join(", ",
                s.paramSets().stream().filter(p -> !p.equals(s.paramSet())).toList()))).append(')');
        }
        sb.append(". Bars show the value; whiskers the range [low, high] over the uncertain cost parameters.</p>\n");
        // violations per scheme: one table, schemes as rows, violation metrics as columns
        List<String> schemes = new ArrayList<>();
        List<String> vmetrics = new ArrayList<>();
        Map<String, List<ReportData.ScoreRow>> costs = new LinkedHashMap<>();
        Map<String, ReportData.ScoreRow> byKey = new LinkedHashMap<>();
        for (ReportData.ScoreRow r : s.rows()) {
            if (!schemes.contains(r.scheme())) {
                schemes.add(r.scheme());
            }
            if (r.metric().startsWith("violations")) {
                if (!vmetrics.contains(r.metric())) {
                    vmetrics.add(r.metric());
                }
                byKey.put(r.scheme() + "\u0000" + r.metric(), r);
            } else {
                costs.computeIfAbsent(r.metric(), x -> new ArrayList<>()).add(r);
            }
        }
        if (!vmetrics.isEmpty()) {
            vmetrics.sort(null);
            sb.append("<h3>Violations under each scheme</h3>\n<table id=\"scheme-violations\"><tr><th>scheme</th>");
            for (String m : vmetrics) {
                sb.append("<th class=\"n\">").append(Html.esc(m.startsWith("violations.") ? m.substring(11) : m))
                    .append("</th>");
            }
            sb.append("</tr>\n");
            for (String sc : schemes) {
                sb.append("<tr><td>").append(Html.esc(sc)).append("</td>");
                for (String m : vmetrics) {
                    ReportData.ScoreRow r = byKey.get(sc + "\u0000" + m);
                    sb.append("<td class=\"n\">").append(r == null ? "" : Html.esc(range(r))).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("<h3>Cost</h3>\n");
        for (Map.Entry<String, List<ReportData.ScoreRow>> e : costs.entrySet()) {
            List<ReportData.ScoreRow> rows = e.getValue();
            sb.append(SvgCharts.costBars(e.getKey(), rows.get(0).unit(), rows)).append('\n');
        }
    }

    private static String range(ReportData.ScoreRow r) {
        return Fmt.num(r.value()) + (r.low() != null && r.high() != null
            ? " [" + Fmt.num(r.low()) + "–" + Fmt.num(r.high()) + "]" : "");
    }

    private static void diff(StringBuilder sb, DiffData d) {
        sb.append("<h2 id=\"diff\">Changes: ").append(d.mode().equals("schemes") ? "scheme " : "").append("<code>")
            .append(Html.esc(d.a())).append("</code> → <code>").append(Html.esc(d.b())).append("</code></h2>\n");
        sb.append("<p class=\"chips\"><span class=\"new\">new: ").append(d.added()).append("</span><span class=\"gone\">gone: ")
            .append(d.gone()).append("</span><span>other label: ").append(d.relabelled()).append("</span><span>matched: ")
            .append(d.matched()).append("</span></p>\n<p class=\"note\">Findings are matched by class, PTE (else VA,")
            .append(" else frame) and the writer's and reader's code location (else their op), not by sequence number.</p>\n");
        for (String n : d.notes()) {
            sb.append("<p class=\"note\">").append(Html.esc(n)).append("</p>\n");
        }
        if (!d.findings().isEmpty()) {
            sb.append("<table id=\"diff-findings\"><tr><th>change</th><th>class</th><th>where</th><th>writer at</th>")
                .append("<th>reader at</th><th class=\"n\">A</th><th class=\"n\">B</th><th>example</th></tr>\n");
            for (DiffData.FindingDelta f : d.findings()) {
                sb.append("<tr><td class=\"").append(f.change()).append("\">").append(f.change()).append("</td><td>")
                    .append(Html.esc(f.cls())).append("</td><td><code>").append(Html.esc(f.place()))
                    .append("</code></td><td><code>").append(Html.esc(f.writerLoc())).append("</code></td><td><code>")
                    .append(Html.esc(f.readerLoc())).append("</code></td><td class=\"n\">").append(f.countA())
                    .append(f.labelsA() == null ? "" : " " + Html.esc(f.labelsA())).append("</td><td class=\"n\">")
                    .append(f.countB()).append(f.labelsB() == null ? "" : " " + Html.esc(f.labelsB()))
                    .append("</td><td class=\"mono\">").append(Html.esc(f.example())).append("</td></tr>\n");
            }
            sb.append("</table>\n");
            if (d.findingsLeft() > 0) {
                sb.append("<p class=\"more\" data-count=\"").append(d.findingsLeft()).append("\">… and ")
                    .append(d.findingsLeft()).append(" more changed groups.</p>\n");
            }
        }
        List<DiffData.MetricDelta> changed = d.metrics().stream().filter(DiffData.MetricDelta::changed).toList();
        sb.append("<h3>Metrics: ").append(changed.size()).append(" of ").append(d.metrics().size())
            .append(" changed</h3>\n");
        if (!changed.isEmpty()) {
            double maxRel = 0;
            for (DiffData.MetricDelta m : changed) {
                if (m.relative() != null) {
                    maxRel = Math.max(maxRel, Math.abs(m.relative()));
                }
            }
            sb.append("<table id=\"diff-metrics\"><tr><th>metric</th><th class=\"n\">A</th><th class=\"n\">B</th>")
                .append("<th class=\"n\">change</th><th class=\"n\">relative</th><th>beyond uncertainty</th></tr>\n");
            for (DiffData.MetricDelta m : changed) {
                sb.append("<tr><td>").append(Html.esc(m.metric())).append(m.unit() == null ? "" : " <span class=\"note\">("
                    + Html.esc(m.unit()) + ")</span>").append("</td><td class=\"n\">").append(Fmt.num(m.a()))
                    .append("</td><td class=\"n\">").append(Fmt.num(m.b())).append("</td><td class=\"n\">")
                    .append(m.delta() == null ? "" : (m.delta() > 0 ? "+" : "") + Fmt.num(m.delta()))
                    .append("</td><td class=\"n\">").append(Fmt.relative(m.relative())).append("</td><td>")
                    .append(m.significant() ? "yes" : "no").append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
    }
}
