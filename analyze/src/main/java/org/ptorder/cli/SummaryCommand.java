package org.ptorder.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ptorder.analyze.summary.XenalyzeSummary;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "summary", mixinStandardHelpOptions = true,
    description = {"Print a xenalyze-style summary of a xentrace file.",
        "",
        "Per domain and vCPU: runstate counts and times, and for PV guests the 'PV events' block",
        "(page faults, ptwr emulations, hypercalls by op, multicall entries). Records are",
        "attributed to vCPUs exactly as xenalyze does, so the counts agree with",
        "'xenalyze --summary'. Percentiles in braces come from ptorder's own sample."},
    footer = {"", "Example:", "  ptorder summary xen.trace --cpu-hz 2095996000"})
final class SummaryCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "A xentrace file.")
    Path input;

    @Mixin
    CpuHzOption hz;

    @Option(names = "--warnings", description = "Also print attribution warnings (like xenalyze's stderr).")
    boolean showWarnings;

    @Override
    public Integer call() {
        WarningList damage = new WarningList();
        XenalyzeSummary s;
        try (RecordCursor cur = RecordCursor.open(TraceFile.open(input), damage)) {
            s = XenalyzeSummary.of(cur);
        }
        PrintWriter out = io.out();
        s.print(out, hz.hz());
        out.flush();
        damage.rows().forEach(w -> io.err().println("warning: " + input + ": offset " + w.offset() + ": " + w.message()));
        if (showWarnings) {
            s.sched().warnings().forEach(w -> io.err().println("attribution: " + w));
        }
        return Main.OK;
    }
}
