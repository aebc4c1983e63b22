package org.ptorder.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckReport;
import org.ptorder.analyze.check.CheckRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check a guest trace against the ordering model and report every cross-CPU dependency violation.",
        "",
        "Re-executes the MMU ops (per-CPU FIFO queues, applied page tables, roots, TLBs, happens-before from",
        "locks, IPIs, condvars and migrations) and reports violations V1-V9 (README-check.md), each labelled",
        "OBSERVED (the trace shows the bad outcome), LATENT (happens-before allows it; this run did not show",
        "it) or BENIGN-RACE (the trace shows a stale use that nothing promised to prevent). Prints a summary",
        "per class and label, what the trace cannot decide and why, then the findings with their evidence.",
        "",
        "INPUT is a database from 'ptorder ingest' (its violations, check_runs and check_undecided tables",
        "get the results, replacing earlier ones of the same files) or a guest trace file (.pmt, ftrace)."},
    footer = {"", "Exit codes: 0 ok (or no finding matched --fail-on), 1 findings matched --fail-on, 2 bad usage or",
        "bad input, 3 internal error.",
        "",
        "Examples:",
        "  ptorder check run.duckdb",
        "  ptorder check trace.pmt --fail-on latent --format json",
        "  ptorder check run.duckdb --lock-map held --format markdown > report.md"})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", paramLabel = "DB|FILE", description = "A ptorder database or a guest trace file.")
    Path input;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    CheckReport.Format format;

    @Mixin
    CheckArgs check;

    @Option(names = "--file-id", paramLabel = "N", defaultValue = "-1",
        description = "Check only file N of a database (default: every file with mmu_ops rows).")
    int fileId;

    @Option(names = "--no-store", description = "Do not write the results into the database.")
    boolean noStore;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "50",
        description = "Findings printed in full by the table and markdown formats (default ${DEFAULT-VALUE}).")
    int maxFindings;

    @Override
    public Integer call() throws Exception {
        CheckOptions opts = check.options();
        if (maxFindings < 0) {
            throw new UsageException("--max-findings must be 0 or more");
        }
        boolean db = CheckRun.isDuckDb(input);
        if (!db && fileId >= 0) {
            throw new UsageException("--file-id applies to a database");
        }
        CheckRun.Outcome o = CheckRun.run(input, opts, check.system, db && !noStore, fileId);
        CheckReport.print(o, format, maxFindings, io.out());
        return CheckReport.fails(o, check.failOn) ? Main.FINDINGS : Main.OK;
    }
}
