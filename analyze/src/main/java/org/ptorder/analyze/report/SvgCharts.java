package org.ptorder.analyze.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG: no script, no font from anywhere, hover titles only. Every
 * chart is drawn from already-binned data, so its size does not grow with the trace.
 */
final class SvgCharts {
    private SvgCharts() { }

    static final String[] SERIES_COLORS = {"#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#757575"};

    static String labelColor(String label) {
        return switch (label) {
            case "OBSERVED" -> "#c62828";
            case "LATENT" -> "#ef6c00";
            default -> "#1565c0";
        };
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void open(StringBuilder sb, String cls, int w, int h, String title) {
        sb.append("<svg class=\"").append(cls).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w)
            .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
            .append("\" role=\"img\" aria-label=\"").append(Html.esc(title)).append("\"><title>")
            .append(Html.esc(title)).append("</title>");
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, String cls, String s) {
        sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" text-anchor=\"").append(anchor)
            .append('"').append(cls == null ? "" : " class=\"" + cls + "\"").append('>').append(Html.esc(s))
            .append("</text>");
    }

    /** Time ticks under a plot of {@code bins} bins starting at {@code x0}, {@code w} wide. */
    private static void timeAxis(StringBuilder sb, double x0, double y, double w, long t0, long binWidth, int bins,
                                 String unit) {
        sb.append("<line x1=\"").append(f(x0)).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(f(x0 + w))
            .append("\" y2=\"").append(f(y)).append("\" class=\"axis\"/>");
        for (int i = 0; i <= 4; i++) {
            double x = x0 + w * i / 4;
            long t = (long) (binWidth * (double) bins * i / 4);
            sb.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(f(x))
                .append("\" y2=\"").append(f(y + 4)).append("\" class=\"axis\"/>");
            text(sb, x, y + 16, i == 0 ? "start" : i == 4 ? "end" : "middle", "tick", "+" + Fmt.time(t, unit));
        }
    }

    /** Per-CPU lanes of queue depth over time, findings marked as triangles above the lane. */
    static String queueDepth(ReportData.DepthChart d) {
        int lane = 46;
        int x0 = 70;
        int w = 840;
        int plotW = w - x0 - 10;
        int h = 20 + lane * d.lanes().size() + 30;
        long max = 1;
        for (ReportData.CpuLane l : d.lanes()) {
            for (long v : l.maxDepth()) {
                max = Math.max(max, v);
            }
        }
        StringBuilder sb = new StringBuilder();
        open(sb, "chart queue-depth", w, h, "Queue depth per CPU over time, file " + d.fileId());
        double bw = (double) plotW / d.bins();
        int y = 20;
        for (ReportData.CpuLane l : d.lanes()) {
            double base = y + lane - 8;
            // log scale: one deep burst must not flatten every other bin
            double scale = (lane - 18.0) / Math.log1p(max);
            text(sb, x0 - 8, base - 10, "end", "lane-label", "cpu" + l.cpu());
            sb.append("<line x1=\"").append(x0).append("\" y1=\"").append(f(base)).append("\" x2=\"")
                .append(x0 + plotW).append("\" y2=\"").append(f(base)).append("\" class=\"lane-base\"/>");
            StringBuilder path = new StringBuilder();
            for (int b = 0; b < d.bins(); b++) {
                long v = l.maxDepth()[b];
                if (v > 0) {
                    double bh = Math.log1p(v) * scale;
                    path.append('M').append(f(x0 + b * bw)).append(' ').append(f(base)).append('v').append(f(-bh))
                        .append('h').append(f(bw)).append('v').append(f(bh)).append('z');
                }
            }
            if (path.length() > 0) {
                sb.append("<path class=\"depth\" d=\"").append(path).append("\"/>");
            }
            for (ReportData.Mark m : l.marks()) {
                double cx = x0 + (m.bin() + 0.5) * bw;
                double ty = y + 2;
                sb.append("<path class=\"mark\" fill=\"").append(labelColor(m.label())).append("\" d=\"M")
                    .append(f(cx - 4)).append(' ').append(f(ty)).append("h8l-4 7z\"><title>")
                    .append(m.count()).append(" finding").append(m.count() == 1 ? "" : "s").append(" (surest: ")
                    .append(Html.esc(m.label())).append(") on cpu").append(l.cpu()).append(" at +")
                    .append(Html.esc(Fmt.time(m.bin() * d.binWidth(), d.axis()))).append("</title></path>");
            }
            y += lane;
        }
        text(sb, 4, 12, "start", "tick", "deepest queue per bin; log scale, 0–" + max + " entries");
        timeAxis(sb, x0, y, plotW, d.t0(), d.binWidth(), d.bins(), d.axis());
        sb.append("</svg>");
        return sb.toString();
    }

    /** Vertical bars, one per power-of-two bucket, with the count above each. */
    static String histogram(ReportData.Histogram hgm) {
        int n = hgm.counts().length;
        int bw = Math.max(28, Math.min(60, 760 / Math.max(1, n)));
        int x0 = 50;
        int w = x0 + bw * n + 20;
        int plotH = 110;
        int h = plotH + 60;
        long max = 1;
        for (long v : hgm.counts()) {
            max = Math.max(max, v);
        }
        StringBuilder sb = new StringBuilder();
        open(sb, "chart histogram", w, h, "Batch sizes: " + hgm.what());
        double base = 20 + plotH;
        sb.append("<line x1=\"").append(x0).append("\" y1=\"").append(f(base)).append("\" x2=\"").append(x0 + bw * n)
            .append("\" y2=\"").append(f(base)).append("\" class=\"axis\"/>");
        for (int i = 0; i < n; i++) {
            long v = hgm.counts()[i];
            double bh = plotH * (double) v / max;
            double x = x0 + i * bw;
            sb.append("<rect class=\"bar\" x=\"").append(f(x + 3)).append("\" y=\"").append(f(base - bh))
                .append("\" width=\"").append(bw - 6).append("\" height=\"").append(f(bh)).append("\"><title>")
                .append(Html.esc(hgm.bucketLabels().get(i))).append(" entries: ").append(v)
                .append(" batches</title></rect>");
            if (v > 0) {
                text(sb, x + bw / 2.0, base - bh - 3, "middle", "tick", Fmt.count(v));
            }
            text(sb, x + bw / 2.0, base + 14, "middle", "tick", hgm.bucketLabels().get(i));
        }
        text(sb, x0 + bw * n / 2.0, base + 32, "middle", "tick", "entries per batch");
        sb.append("</svg>");
        return sb.toString();
    }

    /** One line per series: calls per time bin. */
    static String rate(ReportData.RateChart r) {
        int x0 = 60;
        int w = 900;
        int plotW = w - x0 - 240; // the legend's room on the right
        int plotH = 150;
        int h = plotH + 60;
        long max = 1;
        for (ReportData.Series s : r.series()) {
            for (long v : s.counts()) {
                max = Math.max(max, v);
            }
        }
        StringBuilder sb = new StringBuilder();
        open(sb, "chart rate", w, h, "Rate over time: " + r.what());
        double base = 20 + plotH;
        double bw = (double) plotW / r.bins();
        text(sb, x0 - 6, 24, "end", "tick", Fmt.count(max));
        text(sb, x0 - 6, base, "end", "tick", "0");
        text(sb, 4, 12, "start", "tick", "per " + Fmt.time(r.binWidth(), r.axis()));
        int k = 0;
        for (ReportData.Series s : r.series()) {
            String color = SERIES_COLORS[Math.min(k, SERIES_COLORS.length - 1)];
            StringBuilder pts = new StringBuilder();
            for (int b = 0; b < r.bins(); b++) {
                pts.append(b == 0 ? "" : " ").append(f(x0 + (b + 0.5) * bw)).append(',')
                    .append(f(base - plotH * (double) s.counts()[b] / max));
            }
            sb.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(color).append("\" points=\"")
                .append(pts).append("\"><title>").append(Html.esc(s.name())).append(": ")
                .append(ReportLoader.sum(s.counts())).append(" in all</title></polyline>");
            double ly = 28 + k * 18;
            sb.append("<rect x=\"").append(x0 + plotW + 14).append("\" y=\"").append(f(ly - 9)).append("\" width=\"10\" height=\"10\" fill=\"")
                .append(color).append("\"/>");
            text(sb, x0 + plotW + 30, ly, "start", "legend", s.name() + " (" + Fmt.count(ReportLoader.sum(s.counts())) + ")");
            k++;
        }
        timeAxis(sb, x0, base, plotW, r.t0(), r.binWidth(), r.bins(), r.axis());
        sb.append("</svg>");
        return sb.toString();
    }

    /**
     * Horizontal bars of one metric across schemes, each with a whisker from low to high where the
     * metric was swept over uncertain parameters.
     */
    static String costBars(String metric, String unit, List<ReportData.ScoreRow> rows) {
        int x0 = 70;
        int plotW = 520;
        int rowH = 22;
        int h = 30 + rowH * rows.size() + 10;
        int w = x0 + plotW + 140;
        double max = 0;
        for (ReportData.ScoreRow r : rows) {
            max = Math.max(max, Math.max(nz(r.value()), nz(r.high())));
        }
        if (max <= 0) {
            max = 1;
        }
        StringBuilder sb = new StringBuilder();
        open(sb, "chart cost-bars", w, h, "Scheme cost: " + metric);
        text(sb, 4, 14, "start", "chart-title", metric + (unit == null || unit.isEmpty() ? "" : " (" + unit + ")"));
        int y = 28;
        for (ReportData.ScoreRow r : rows) {
            double v = nz(r.value());
            double bwid = plotW * v / max;
            text(sb, x0 - 8, y + 14, "end", "lane-label", r.scheme());
            sb.append("<rect class=\"bar\" x=\"").append(x0).append("\" y=\"").append(y + 3).append("\" width=\"")
                .append(f(bwid)).append("\" height=\"").append(rowH - 8).append("\"><title>")
                .append(Html.esc(r.scheme())).append(": ").append(Html.esc(Fmt.num(r.value())))
                .append(r.low() != null || r.high() != null ? " [" + Html.esc(Fmt.num(r.low())) + " – "
                    + Html.esc(Fmt.num(r.high())) + "]" : "")
                .append("</title></rect>");
            if (r.low() != null && r.high() != null) {
                double xl = x0 + plotW * r.low() / max;
                double xh = x0 + plotW * r.high() / max;
                double ym = y + rowH / 2.0 - 1;
                sb.append("<path class=\"whisker\" d=\"M").append(f(xl)).append(' ').append(f(ym)).append("H")
                    .append(f(xh)).append("M").append(f(xl)).append(' ').append(f(ym - 5)).append("v10M").append(f(xh))
                    .append(' ').append(f(ym - 5)).append("v10\"/>");
            }
            text(sb, x0 + Math.max(bwid, r.high() == null ? 0 : plotW * r.high() / max) + 6, y + 14, "start", "tick",
                Fmt.num(r.value()) + (r.low() != null && r.high() != null
                    ? " [" + Fmt.num(r.low()) + "–" + Fmt.num(r.high()) + "]" : ""));
            y += rowH;
        }
        sb.append("</svg>");
        return sb.toString();
    }

    private static double nz(Double d) {
        return d == null || d.isNaN() ? 0 : Math.max(0, d);
    }

    /** The minimal interleaving as lanes, one per CPU, steps numbered left to right. */
    static String lanes(Interleaving il) {
        List<Integer> cpus = new ArrayList<>(il.cpus());
        if (cpus.isEmpty()) {
            cpus.add(-1);
        }
        int step = 96;
        int x0 = 56;
        int lane = 40;
        int w = x0 + step * il.steps().size() + 10;
        int h = 12 + lane * cpus.size() + 4;
        StringBuilder sb = new StringBuilder();
        open(sb, "lanes", w, h, "Interleaving on " + cpus.size() + " CPU lane" + (cpus.size() == 1 ? "" : "s"));
        for (int i = 0; i < cpus.size(); i++) {
            double y = 12 + i * lane + lane / 2.0;
            text(sb, x0 - 10, y + 4, "end", "lane-label", cpus.get(i) < 0 ? "all" : "cpu" + cpus.get(i));
            sb.append("<line x1=\"").append(x0).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(w - 6)
                .append("\" y2=\"").append(f(y)).append("\" class=\"lane-line\"/>");
        }
        double px = -1;
        double py = -1;
        for (int k = 0; k < il.steps().size(); k++) {
            Interleaving.Step s = il.steps().get(k);
            double x = x0 + step * k + step / 2.0;
            int li = s.cpu() < 0 ? -1 : cpus.indexOf(s.cpu());
            if (li < 0) {
                sb.append("<line x1=\"").append(f(x)).append("\" y1=\"8\" x2=\"").append(f(x)).append("\" y2=\"")
                    .append(h - 4).append("\" class=\"outcome\"><title>").append(k + 1).append(". ")
                    .append(Html.esc(s.text())).append("</title></line>");
                text(sb, x, 10, "middle", "step-op", (k + 1) + ". outcome");
                continue;
            }
            double y = 12 + li * lane + lane / 2.0;
            if (px >= 0) {
                sb.append("<line x1=\"").append(f(px + 9)).append("\" y1=\"").append(f(py)).append("\" x2=\"")
                    .append(f(x - 9)).append("\" y2=\"").append(f(y)).append("\" class=\"order\"/>");
            }
            sb.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"9\" class=\"step\">")
                .append("<title>").append(k + 1).append(". cpu").append(s.cpu()).append(": ").append(Html.esc(s.text()))
                .append("</title></circle>");
            text(sb, x, y + 4, "middle", "step-num", String.valueOf(k + 1));
            text(sb, x, y + 21, "middle", "step-op", s.op());
            px = x;
            py = y;
        }
        sb.append("</svg>");
        return sb.toString();
    }
}
