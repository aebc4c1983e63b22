package org.ptorder.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.ingest.align.TimelineAlignment;
import org.ptorder.ingest.pipeline.FileReport;
import org.ptorder.ingest.pipeline.Ingest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Load trace files into a new DuckDB database.",
        "",
        "Inputs are recognised by their content (gzip is fine): xentrace binaries, guest .pmt",
        "traces (README-pmt.md) and Linux ftrace text. xentrace files are read window by window,",
        "the per-pCPU streams merged by TSC and every record stored (records), with PV hypercalls",
        "decoded (hypercalls), lost-record intervals (lost_records) and event names (event_types);",
        "guest traces become canonical MMU ops (mmu_ops). Damage that could be worked around is",
        "listed in ingest_warnings. The database appears only when everything loaded: an existing",
        "file is replaced atomically, never half-written. Explore it with 'ptorder sql'."},
    footer = {"", "Example:", "  ptorder ingest xen.trace --cpu-hz 2095996000 -o run.duckdb"})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Trace files: xentrace, .pmt, ftrace text.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DB",
        description = "The DuckDB file to write (replaced if it exists).")
    Path output;

    @Mixin
    CpuHzOption hz;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Ingest.Report report = Ingest.run(inputs, output, new Ingest.Options(hz.hz(), TerminalProgress.forStderr()));
        List<FileReport> reports = report.files();
        double secs = (System.nanoTime() - t0) / 1e9;
        long records = 0, bytes = 0, warnings = 0;
        for (FileReport r : reports) {
            records += r.records();
            bytes += r.bytes();
            warnings += r.warnings();
            if (r.warnings() > 0) {
                io.err().printf("%s: %d warning(s): damaged parts skipped, see table ingest_warnings%n",
                    r.path(), r.warnings());
            }
        }
        for (TimelineAlignment.Outcome a : report.alignments()) {
            io.err().println(a.describe(reports.get(a.guestFile()).path().getFileName().toString(),
                reports.get(a.xenFile()).path().getFileName().toString()));
        }
        if (hz.hz() == 0) {
            io.err().println("note: no --cpu-hz given, so times are in TSC cycles (ts columns are NULL)");
        }
        io.out().printf("%d records, %.1f MB in %.1f s (%.1f MB/s) -> %s%n", records, bytes / 1e6, secs,
            bytes / 1e6 / Math.max(secs, 1e-9), output);
        return Main.OK;
    }
}
