package org.ptorder.analyze.report;

import java.util.List;
import org.ptorder.analyze.diff.DiffData;

/**
 * Everything a report shows, read from one database by {@link ReportLoader}: small and bounded
 * whatever the trace's length (findings capped, chart data binned in SQL). The renderers
 * ({@link JsonReport}, {@link MarkdownReport}, {@link HtmlReport}) only format it, so the three
 * formats cannot disagree. Lists are in a fixed order, so the same database gives the same report.
 */
public record ReportData(
    Meta meta,
    List<Input> inputs,
    List<Clock> clocks,
    List<CheckRunInfo> checks,
    List<ClassCount> counts,
    List<UndecidedRow> undecided,
    List<FindingRow> findings,
    long findingsTotal,
    Scores scores,
    Charts charts,
    DiffData diff) {

    /** JSON schema name and version (README-report.md): bump the version on any incompatible change. */
    public static final String SCHEMA = "ptorder-report";
    public static final int SCHEMA_VERSION = 1;

    /** What produced the report and with which parameters. {@code generatedAt} is null unless asked for. */
    public record Meta(String tool, String version, String database, int maxFindings, int perGroup, int bins,
                       String generatedAt) { }

    /** One row of trace_files. */
    public record Input(int fileId, String path, String format, long sizeBytes, String sha256, long records,
                        int cpus, Long cpuHz, String timeUnit, long lostTotal, long warnings) { }

    /** One row of clock_alignment: how a guest file was laid onto a xentrace file's time axis. */
    public record Clock(int guestFileId, int xenFileId, Integer dom, String method, Double slope, Double offsetCycles,
                        Long guestCalls, Long matched, Double matchRate, Long countAgrees, Long medianGapCycles,
                        String note) { }

    /** The last check of one file (check_runs); run time and start time are left out: they differ run to run. */
    public record CheckRunInfo(int fileId, String version, String options, long ops, int cpus, long observed,
                               long latent, long benignRace) { }

    public record ClassCount(String cls, String label, long count) { }

    public record UndecidedRow(int fileId, String classes, String reason, Long count) { }

    /** One event of a finding: the writer, the reader or the evidence. */
    public record Event(long seq, int cpu, Long ts, Long line, Long offset, String loc, String op) {
        /** {@code line 26}, {@code offset 4096} or empty: where in the input file the event is. */
        public String where() {
            return line != null ? "line " + line : offset != null ? "offset " + offset : "";
        }
    }

    /** One row of violations, as stored by the checker. Hex strings for 64-bit machine values. */
    public record FindingRow(int fileId, String cls, String title, String label, String coverage, String pte,
                             String va, String oldVal, String newVal, String frame, Event writer, Event reader,
                             Event evidence, String evidenceText, String hbPath, String missing, Long missingSeq,
                             List<String> interleaving, String rootCause, String note) { }

    /**
     * The scheme_scores table (written by {@code ptorder score}); null in {@link ReportData} when the
     * database has none ("not scored"). {@code paramSet} is the parameter set the charts show.
     */
    public record Scores(String paramSet, List<String> paramSets, List<ScoreRow> rows) { }

    public record ScoreRow(String scheme, String paramSet, String metric, Double value, Double low, Double high,
                           String unit) { }

    public record Charts(List<DepthChart> queueDepth, List<Histogram> batchSizes, List<RateChart> hypercallRate) { }

    /**
     * Per-CPU queue depth of one guest file over time: for each CPU and time bin, the most entries
     * queued and not yet flushed; {@code marks} are findings (at their reader's time) in that bin.
     */
    public record DepthChart(int fileId, String path, String axis, long t0, long binWidth, int bins,
                             List<CpuLane> lanes, int cpusNotShown) { }

    public record CpuLane(int cpu, long[] maxDepth, List<Mark> marks) { }

    /** Findings of one CPU in one bin, with the surest label among them. */
    public record Mark(int bin, long count, String label) { }

    /** Batch sizes in power-of-two buckets: {@code bucketLabels[i]} has {@code counts[i]} batches. */
    public record Histogram(int fileId, String path, String what, List<String> bucketLabels, long[] counts) { }

    /** Calls per time bin of one file, one series per hypercall (or guest op). */
    public record RateChart(int fileId, String path, String what, String axis, long t0, long binWidth, int bins,
                            List<Series> series) { }

    public record Series(String name, long[] counts) { }
}
