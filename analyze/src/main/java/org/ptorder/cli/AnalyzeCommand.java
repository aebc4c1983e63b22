package org.ptorder.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.pipeline.Analysis;
import org.ptorder.analyze.scheme.AllSchemes;
import org.ptorder.analyze.report.ReportData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true,
    description = {"Ingest, check, score and report in one go: the command most users run.",
        "",
        "Loads every INPUT (xentrace, .pmt, Linux ftrace text; a xentrace file and a guest trace of the same run",
        "are laid on one timeline) into DIR/analysis.duckdb, checks each guest trace against the ordering model,",
        "scores every flush scheme with the default costs, and writes DIR/report.html (open it in a browser),",
        "DIR/report.md and DIR/report.json. Then prints the verdict. Each stage is also a command of its own:",
        "ingest, check, score, report."},
    footer = {"", "Exit codes: 0 ok, 1 findings matched --fail-on, 2 bad usage or input, 3 internal error.",
        "",
        "Examples:",
        "  ptorder analyze xen.trace ftrace.txt.gz --cpu-hz 2095996000 -o out/",
        "  ptorder analyze guest.pmt -o out/ --fail-on latent      (a CI gate)",
        "  ptorder report out/analysis.duckdb -o again.html --max-findings 1000"})
final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Trace files: xentrace, .pmt, ftrace text.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
        description = "Directory for the database and the reports (created; files in it are replaced).")
    Path dir;

    @Mixin
    CpuHzOption hz;

    @Mixin
    CheckArgs check;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() throws Exception {
        CheckOptions opts = check.options();
        if (report.format != null || report.baseline != null) {
            throw new UsageException("analyze writes all three formats and no diff: use 'ptorder report' for"
                + " --format or --baseline");
        }
        Analysis.Result r = Analysis.run(inputs, dir, new Analysis.Options(hz.hz(), "analysis.duckdb",
            opts, check.system, report.options(),
            new AllSchemes(), Version.get(), TerminalProgress.forStderr()), io.out());
        io.out().printf("%n%s: %s%nOpen %s in a browser.%n", r.verdict().headline(), r.verdict().detail(),
            r.reports().get(0));
        return fails(r.data(), check.failOn) ? Main.FINDINGS : Main.OK;
    }

    /** --fail-on against the stored findings: observed, latent (or observed), any. */
    static boolean fails(ReportData d, String failOn) {
        if (failOn == null) {
            return false;
        }
        for (ReportData.ClassCount c : d.counts()) {
            boolean hit = switch (failOn) {
                case "any" -> true;
                case "latent" -> !c.label().equals("BENIGN-RACE");
                default -> c.label().equals("OBSERVED");
            };
            if (hit && c.count() > 0) {
                return true;
            }
        }
        return false;
    }
}
