package org.ptorder.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ptorder.analyze.report.ReportData;
import org.ptorder.analyze.report.ReportFormat;
import org.ptorder.analyze.report.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write a report of an analysed database: HTML, Markdown or JSON.",
        "",
        "The report says what was analysed (inputs with sha256 and size, tool version, parameters, clocks and",
        "their alignment), gives a verdict at the top, lists the checker's findings grouped by class and label",
        "with their evidence (events with source line or offset, happens-before path, missing flush, the",
        "minimal interleaving as a per-CPU lane diagram), compares the flush schemes where 'ptorder score' has",
        "run, and charts the queues, batch sizes and hypercall rates. HTML is one self-contained file (inline",
        "CSS and SVG, no script, nothing fetched). The same database gives a byte-identical report.",
        "README-report.md explains each section and the JSON schema."},
    footer = {"", "Examples:",
        "  ptorder report run.duckdb -o report.html",
        "  ptorder report run.duckdb -o report.md --max-findings 20",
        "  ptorder report new.duckdb -o report.html --baseline old.duckdb   (adds a 'Changes' section)",
        "  ptorder report run.duckdb -o - --format json | jq .verdict"})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", paramLabel = "DB", description = "A database from 'ptorder ingest' / 'ptorder analyze'.")
    Path db;

    @Mixin
    ReportOptions report;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
        description = "Where to write the report ('-' for standard output).")
    Path output;

    @Override
    public Integer call() throws Exception {
        ReportFormat fmt = report.format(output);
        ReportData d = Reports.load(db, Version.get(), report.options(), report.baselineDiff(db));
        String text = fmt.render(d);
        if (output.toString().equals("-")) {
            io.out().print(text);
        } else {
            Reports.write(text, output);
            io.err().printf("%s report: %s (%,d bytes)%n", fmt, output, text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return Main.OK;
    }
}
