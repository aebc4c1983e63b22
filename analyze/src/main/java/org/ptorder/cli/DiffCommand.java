package org.ptorder.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.analyze.diff.DiffData;
import org.ptorder.analyze.diff.DiffLoader;
import org.ptorder.analyze.diff.DiffText;
import org.ptorder.analyze.report.HtmlReport;
import org.ptorder.analyze.report.JsonReport;
import org.ptorder.analyze.report.MarkdownReport;
import org.ptorder.analyze.report.ReportFormat;
import org.ptorder.analyze.report.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Compare two analyses: two databases, or two schemes of one database.",
        "",
        "Two databases (e.g. before and after a fix, or two kernels on one workload): findings present in one",
        "and not the other, matched by class, PTE (else VA, else frame) and the writer's and reader's code",
        "location (their at= tag, else their op), never by sequence number, so a rerun of the same code",
        "matches; groups whose labels changed (LATENT -> OBSERVED); then every metric with its delta: records",
        "per format, MMU ops per kind, flush batch sizes, hypercalls per op, findings per class and label,",
        "scheme scores (a change inside both sides' uncertainty ranges is marked so).",
        "",
        "One database and two schemes: every scheme_scores metric of SCHEME_A beside SCHEME_B, and the",
        "violation classes one scheme leaves and the other prevents.",
        "",
        "Prints a table; -o writes the same as an HTML, Markdown or JSON report section. 'ptorder report B",
        "--baseline A' puts it into a full report."},
    footer = {"", "Exit codes: 0 ok, 1 with --fail-on-new when B has findings A does not, 2 bad usage or input.",
        "",
        "Examples:",
        "  ptorder diff before.duckdb after.duckdb",
        "  ptorder diff before.duckdb after.duckdb -o changes.html",
        "  ptorder diff main.duckdb branch.duckdb --fail-on-new      (a CI gate: no new ordering bug)",
        "  ptorder diff run.duckdb SN Sa --all                       (two schemes of one scored database)"})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(arity = "2..3", paramLabel = "A B | DB SCHEME_A SCHEME_B",
        description = "Two databases, or one database and two scheme names (S0 SN S1 Sa Sa' Sb Ssh SL).")
    List<String> args;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Also write the diff as a report: .html, .md or .json (or --format).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Format of -o: html, markdown or json.")
    ReportFormat format;

    @Option(names = "--all", description = "Print every metric, not only the changed ones.")
    boolean all;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "" + DiffLoader.DEFAULT_MAX,
        description = "Changed finding groups listed in full (default ${DEFAULT-VALUE}); the rest are counted.")
    int max;

    @Option(names = "--fail-on-new", description = "Exit 1 when B has a finding group A does not.")
    boolean failOnNew;

    @Override
    public Integer call() throws Exception {
        if (max < 0) {
            throw new UsageException("--max-findings must be 0 or more");
        }
        DiffData d;
        if (args.size() == 2) {
            d = DiffLoader.databases(Path.of(args.get(0)), Path.of(args.get(1)), max);
        } else {
            Path db = Path.of(args.get(0));
            if (!CheckRun.isDuckDb(db)) {
                throw new UsageException("with three arguments the first is a database: " + db);
            }
            d = DiffLoader.schemes(db, args.get(1), args.get(2));
        }
        DiffText.print(d, all, io.out());
        if (output != null) {
            ReportFormat f = format != null ? format : ReportFormat.byExtension(output);
            if (f == null) {
                throw new UsageException("cannot tell the format of " + output + ": name it .html, .md or .json, or"
                    + " give --format");
            }
            String text = switch (f) {
                case html -> HtmlReport.renderDiff(d);
                case markdown -> MarkdownReport.renderDiff(d);
                case json -> JsonReport.renderDiff(d, Version.get());
            };
            Reports.write(text, output);
            io.err().printf("%s diff: %s (%,d bytes)%n", f, output, text.getBytes(StandardCharsets.UTF_8).length);
        }
        return failOnNew && d.added() > 0 ? Main.FINDINGS : Main.OK;
    }
}
