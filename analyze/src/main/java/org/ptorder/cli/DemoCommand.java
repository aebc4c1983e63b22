package org.ptorder.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptorder.analyze.sql.QueryLibrary;
import org.ptorder.analyze.sql.ResultPrinter;
import org.ptorder.analyze.summary.XenalyzeSummary;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.pipeline.FileReport;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.sim.DemoXentrace;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the pipeline on a built-in trace: nothing to download, nothing to set up.",
        "",
        "Writes a small xentrace capture of a 2-vCPU PV dom0 (made by ptorder itself), ingests it",
        "into a DuckDB file, prints the xenalyze-style summary and two named queries, and tells",
        "you what to try next. Everything lands in --dir."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "ptorder-demo",
        description = "Where to write the trace and the database (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated trace (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = io.out();
        Files.createDirectories(dir);
        Path trace = dir.resolve("demo-xen.trace");
        Path db = dir.resolve("demo.duckdb");
        DemoXentrace.write(trace, 400, seed);
        out.printf("== 1. wrote %s (%d bytes): a PV dom0 on 2 pCPUs, TSC at %d Hz%n", trace, Files.size(trace),
            DemoXentrace.CPU_HZ);
        List<FileReport> r = Ingest.run(List.of(trace), db, new Ingest.Options(DemoXentrace.CPU_HZ,
            TerminalProgress.forStderr())).files();
        out.printf("== 2. ptorder ingest %s --cpu-hz %d -o %s: %d records%n%n", trace, DemoXentrace.CPU_HZ, db,
            r.get(0).records());
        out.printf("== 3. ptorder summary %s --cpu-hz %d%n", trace, DemoXentrace.CPU_HZ);
        try (RecordCursor cur = RecordCursor.open(TraceFile.open(trace), WarningSink.IGNORE)) {
            XenalyzeSummary.of(cur).print(out, DemoXentrace.CPU_HZ);
        }
        try (Connection c = DuckStore.open(db, false)) {
            for (String q : List.of("hypercalls_per_vcpu", "mmu_update_batch_sizes")) {
                out.printf("%n== 4. ptorder sql %s -q %s   (%s)%n", db, q, QueryLibrary.find(q).purpose());
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QueryLibrary.find(q).sql())) {
                    new ResultPrinter(ResultPrinter.Format.table, 40).print(rs, out);
                }
            }
        }
        out.printf("%nNext: ptorder sql %s --list   (more named queries), ptorder sql %s   (interactive),%n", db, db);
        out.printf("      ptorder dump %s --cpu-hz 2G | less, ptorder export %s --parquet %s%n", trace, db,
            dir.resolve("parquet"));
        return Main.OK;
    }
}
