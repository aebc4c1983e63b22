package org.ptorder.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.ptorder.analyze.diff.DiffData;
import org.ptorder.analyze.diff.DiffLoader;
import org.ptorder.analyze.report.ReportFormat;
import org.ptorder.analyze.report.ReportLoader;
import picocli.CommandLine.Option;

/** The options that shape a report, shared by 'report' and 'analyze'. */
final class ReportOptions {
    @Option(names = "--format", paramLabel = "FORMAT",
        description = "html, markdown or json (default: from the output's extension, else html).")
    ReportFormat format;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "200",
        description = "Findings shown in full, over all groups (default ${DEFAULT-VALUE}); the rest are counted.")
    int maxFindings;

    @Option(names = "--per-group", paramLabel = "N", defaultValue = "10",
        description = "Findings shown per class and label (default ${DEFAULT-VALUE}).")
    int perGroup;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "120",
        description = "Time bins of the timeline charts (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--param-set", paramLabel = "NAME",
        description = "scheme_scores parameter set to show (default: calibrated, else default, else the first).")
    String paramSet;

    @Option(names = "--timestamp", description = "Print when the report was made (off by default, so that the same"
        + " database gives a byte-identical report).")
    boolean timestamp;

    @Option(names = "--baseline", paramLabel = "DB",
        description = "An earlier database: adds a 'Changes' section (what 'ptorder diff BASELINE DB' says).")
    Path baseline;

    ReportFormat format(Path output) {
        if (format != null) {
            return format;
        }
        ReportFormat f = ReportFormat.byExtension(output);
        return f != null ? f : ReportFormat.html;
    }

    ReportLoader.Options options() {
        if (maxFindings < 0 || perGroup < 0) {
            throw new UsageException("--max-findings and --per-group must be 0 or more");
        }
        if (bins < 1 || bins > 2000) {
            throw new UsageException("--bins must be between 1 and 2000");
        }
        return new ReportLoader.Options(maxFindings, perGroup, bins, paramSet,
            timestamp ? Instant.now().truncatedTo(ChronoUnit.SECONDS).toString() : null);
    }

    /** The 'Changes' section against --baseline, or null. */
    DiffData baselineDiff(Path db) throws Exception {
        return baseline == null ? null : DiffLoader.databases(baseline, db, maxFindings);
    }
}
