package org.ptorder.analyze.report;

import org.ptorder.analyze.diff.DiffData;

/** The report as JSON, schema {@value ReportData#SCHEMA} version {@value ReportData#SCHEMA_VERSION} (README-report.md). */
public final class JsonReport {
    private JsonReport() { }

    public static String render(ReportData d) {
        JsonWriter w = new JsonWriter();
        w.begin(null);
        w.str("schema", ReportData.SCHEMA).num("schema_version", ReportData.SCHEMA_VERSION);
        ReportData.Meta m = d.meta();
        w.begin("tool").str("name", m.tool()).str("version", m.version()).end();
        w.str("generated_at", m.generatedAt());
        w.str("database", m.database());
        w.begin("parameters").num("max_findings", m.maxFindings()).num("per_group", m.perGroup())
            .num("bins", m.bins()).str("param_set", d.scores() == null ? null : d.scores().paramSet()).end();
        Verdict v = Verdict.of(d);
        w.begin("verdict").str("level", v.level()).str("headline", v.headline()).str("detail", v.detail()).end();
        inputs(w, d);
        w.beginArray("checks");
        for (ReportData.CheckRunInfo c : d.checks()) {
            w.begin(null).num("file_id", c.fileId()).str("version", c.version()).str("options", c.options())
                .num("ops", c.ops()).num("cpus", c.cpus()).num("observed", c.observed()).num("latent", c.latent())
                .num("benign_race", c.benignRace()).end();
        }
        w.endArray();
        w.begin("summary").num("total", d.findingsTotal()).num("shown", d.findings().size());
        w.beginArray("by_class");
        for (ReportData.ClassCount c : d.counts()) {
            w.begin(null).str("class", c.cls()).str("label", c.label()).num("count", c.count()).end();
        }
        w.endArray().end();
        w.beginArray("undecided");
        for (ReportData.UndecidedRow u : d.undecided()) {
            w.begin(null).num("file_id", u.fileId()).str("classes", u.classes()).str("reason", u.reason())
                .num("count", u.count()).end();
        }
        w.endArray();
        w.beginArray("findings");
        for (ReportData.FindingRow f : d.findings()) {
            finding(w, f);
        }
        w.endArray();
        scores(w, d.scores());
        charts(w, d.charts());
        if (d.diff() == null) {
            w.nul("diff");
        } else {
            diff(w, d.diff());
        }
        w.end();
        return w.toString();
    }

    private static void inputs(JsonWriter w, ReportData d) {
        w.beginArray("inputs");
        for (ReportData.Input in : d.inputs()) {
            w.begin(null).num("file_id", in.fileId()).str("path", in.path()).str("format", in.format())
                .num("size_bytes", in.sizeBytes()).str("sha256", in.sha256()).num("records", in.records())
                .num("cpus", in.cpus()).num("cpu_hz", in.cpuHz()).str("time_unit", in.timeUnit())
                .num("lost_records", in.lostTotal()).num("warnings", in.warnings()).end();
        }
        w.endArray();
        w.beginArray("clocks");
        for (ReportData.Clock c : d.clocks()) {
            w.begin(null).num("guest_file_id", c.guestFileId()).num("xen_file_id", c.xenFileId()).num("dom", c.dom())
                .str("method", c.method()).num("slope", c.slope()).num("offset_cycles", c.offsetCycles())
                .num("guest_calls", c.guestCalls()).num("matched", c.matched()).num("match_rate", c.matchRate())
                .num("count_agrees", c.countAgrees()).num("median_gap_cycles", c.medianGapCycles())
                .str("note", c.note()).end();
        }
        w.endArray();
    }

    private static void finding(JsonWriter w, ReportData.FindingRow f) {
        w.begin(null).num("file_id", f.fileId()).str("class", f.cls()).str("title", f.title())
            .str("label", f.label()).str("coverage", f.coverage()).str("pte", f.pte()).str("va", f.va())
            .str("old", f.oldVal()).str("new", f.newVal()).str("frame", f.frame());
        event(w, "writer", f.writer());
        event(w, "reader", f.reader());
        event(w, "evidence", f.evidence());
        w.str("evidence_text", f.evidenceText()).str("hb_path", f.hbPath()).str("missing", f.missing())
            .num("missing_seq", f.missingSeq()).strings("interleaving", f.interleaving())
            .str("root_cause", f.rootCause()).str("note", f.note()).end();
    }

    private static void event(JsonWriter w, String key, ReportData.Event e) {
        if (e == null) {
            w.nul(key);
            return;
        }
        w.begin(key).num("seq", e.seq()).num("cpu", e.cpu()).num("ts", e.ts()).num("line", e.line())
            .num("offset", e.offset()).str("loc", e.loc()).str("op", e.op()).end();
    }

    private static void scores(JsonWriter w, ReportData.Scores s) {
        w.begin("scores");
        if (s == null) {
            w.str("status", "not scored").end();
            return;
        }
        w.str("status", "scored").str("param_set", s.paramSet()).strings("param_sets", s.paramSets());
        w.beginArray("rows");
        for (ReportData.ScoreRow r : s.rows()) {
            w.begin(null).str("scheme", r.scheme()).str("param_set", r.paramSet()).str("metric", r.metric())
                .num("value", r.value()).num("low", r.low()).num("high", r.high()).str("unit", r.unit()).end();
        }
        w.endArray().end();
    }

    private static void charts(JsonWriter w, ReportData.Charts c) {
        w.begin("charts");
        w.beginArray("queue_depth");
        for (ReportData.DepthChart d : c.queueDepth()) {
            w.begin(null).num("file_id", d.fileId()).str("path", d.path()).str("axis", d.axis()).num("t0", d.t0())
                .num("bin_width", d.binWidth()).num("bins", d.bins()).num("cpus_not_shown", d.cpusNotShown());
            w.beginArray("lanes");
            for (ReportData.CpuLane l : d.lanes()) {
                w.begin(null).num("cpu", l.cpu()).longs("max_depth", l.maxDepth());
                w.beginArray("findings");
                for (ReportData.Mark m : l.marks()) {
                    w.begin(null).num("bin", m.bin()).num("count", m.count()).str("label", m.label()).end();
                }
                w.endArray().end();
            }
            w.endArray().end();
        }
        w.endArray();
        w.beginArray("batch_sizes");
        for (ReportData.Histogram h : c.batchSizes()) {
            w.begin(null).num("file_id", h.fileId()).str("path", h.path()).str("what", h.what())
                .strings("buckets", h.bucketLabels()).longs("counts", h.counts()).end();
        }
        w.endArray();
        w.beginArray("hypercall_rate");
        for (ReportData.RateChart r : c.hypercallRate()) {
            w.begin(null).num("file_id", r.fileId()).str("path", r.path()).str("what", r.what())
                .str("axis", r.axis()).num("t0", r.t0()).num("bin_width", r.binWidth()).num("bins", r.bins());
            w.beginArray("series");
            for (ReportData.Series s : r.series()) {
                w.begin(null).str("name", s.name()).longs("counts", s.counts()).end();
            }
            w.endArray().end();
        }
        w.endArray();
        w.end();
    }

    /** The diff section; also the whole of {@code ptorder diff --format json}. */
    static void diff(JsonWriter w, DiffData d) {
        w.begin("diff").str("mode", d.mode()).str("a", d.a()).str("b", d.b());
        w.begin("findings_summary").num("matched", d.matched()).num("new", d.added()).num("gone", d.gone())
            .num("relabelled", d.relabelled()).num("not_shown", d.findingsLeft()).end();
        w.beginArray("findings");
        for (DiffData.FindingDelta f : d.findings()) {
            w.begin(null).str("change", f.change()).str("class", f.cls()).str("place", f.place())
                .str("writer_loc", f.writerLoc()).str("reader_loc", f.readerLoc()).num("count_a", f.countA())
                .num("count_b", f.countB()).str("labels_a", f.labelsA()).str("labels_b", f.labelsB())
                .str("example", f.example()).end();
        }
        w.endArray();
        w.beginArray("metrics");
        for (DiffData.MetricDelta m : d.metrics()) {
            w.begin(null).str("metric", m.metric()).str("unit", m.unit()).num("a", m.a()).num("b", m.b())
                .num("delta", m.delta()).num("relative", m.relative()).num("low_a", m.lowA())
                .num("high_a", m.highA()).num("low_b", m.lowB()).num("high_b", m.highB())
                .bool("changed", m.changed()).bool("significant", m.significant()).end();
        }
        w.endArray();
        w.strings("notes", d.notes());
        w.end();
    }

    /** {@code ptorder diff --format json}: the diff alone, under the same schema name. */
    public static String renderDiff(DiffData d, String version) {
        JsonWriter w = new JsonWriter();
        w.begin(null).str("schema", ReportData.SCHEMA + "-diff").num("schema_version", ReportData.SCHEMA_VERSION);
        w.begin("tool").str("name", "ptorder").str("version", version).end();
        diff(w, d);
        w.end();
        return w.toString();
    }
}
