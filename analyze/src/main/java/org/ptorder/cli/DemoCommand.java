package org.ptorder.cli;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.pipeline.Analysis;
import org.ptorder.analyze.scheme.AllSchemes;
import org.ptorder.analyze.report.ReportLoader;
import org.ptorder.analyze.sql.QueryLibrary;
import org.ptorder.analyze.sql.ResultPrinter;
import org.ptorder.analyze.summary.XenalyzeSummary;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.sim.DemoXentrace;
import org.ptorder.ingest.sim.InjectionKind;
import org.ptorder.ingest.sim.SimConfig;
import org.ptorder.ingest.sim.Simulator;
import org.ptorder.ingest.sim.TruthFile;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the pipeline on built-in traces: nothing to download, nothing to set up.",
        "",
        "Writes a small xentrace capture of a 2-vCPU PV dom0 (made by ptorder itself) and simulates",
        "a Linux and a NetBSD guest with a few planted ordering bugs, runs 'ptorder analyze' on all",
        "three (one DuckDB file, the checker's findings, report.html/.md/.json), prints the",
        "xenalyze-style summary, named queries and what was planted, says where the report is and",
        "what to try next. Everything lands in --dir."},
    footer = {"", "Example:", "  ptorder demo --dir /tmp/demo && xdg-open /tmp/demo/report.html"})
final class DemoCommand implements Callable<Integer> {
    /** Events per simulated guest, and the planting rate: a few of each kind, in well under a second. */
    static final long SIM_EVENTS = 40_000;
    static final double SIM_RATE = 0.0004;
    static final String DB_NAME = "demo.duckdb";

    @Mixin
    Io io;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "ptorder-demo",
        description = "Where to write the traces and the database (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated traces (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = io.out();
        Files.createDirectories(dir);
        Path trace = dir.resolve("demo-xen.trace");
        Path db = dir.resolve(DB_NAME);
        DemoXentrace.write(trace, 400, seed);
        out.printf("== 1. wrote %s (%d bytes): a PV dom0 on 2 pCPUs, TSC at %d Hz%n", trace, Files.size(trace),
            DemoXentrace.CPU_HZ);

        Map<String, TruthFile> truths = new LinkedHashMap<>();
        Map<String, Path> pmts = new LinkedHashMap<>();
        for (String system : List.of("linux", "netbsd")) {
            Path pmt = dir.resolve("sim-" + system + ".pmt");
            Path truth = dir.resolve("sim-" + system + ".truth.json");
            simulate(system, pmt, truth);
            pmts.put(system, pmt);
            truths.put(system, TruthFile.read(truth));
            out.printf("== 2. ptorder simulate -o %s --system %s --cpus 2 --ops %d --workload mixed --seed %d"
                + " --inject all:%s --truth %s%n", pmt, system, SIM_EVENTS, seed, SIM_RATE, truth);
        }

        List<Path> inputs = List.of(trace, pmts.get("linux"), pmts.get("netbsd"));
        out.printf("== 3. ptorder analyze %s %s %s --cpu-hz %d -o %s   (ingest + check + score + report)%n", trace,
            pmts.get("linux"), pmts.get("netbsd"), DemoXentrace.CPU_HZ, dir);
        Analysis.Result analysed = Analysis.run(inputs, dir, new Analysis.Options(DemoXentrace.CPU_HZ, DB_NAME,
            CheckOptions.defaults(), null, ReportLoader.Options.defaults(), new AllSchemes(), Version.get(),
            TerminalProgress.forStderr()), out);
        out.printf("verdict: %s: %s%n%n", analysed.verdict().headline(), analysed.verdict().detail());
        out.printf("== 4. ptorder summary %s --cpu-hz %d%n", trace, DemoXentrace.CPU_HZ);
        try (RecordCursor cur = RecordCursor.open(TraceFile.open(trace), WarningSink.IGNORE)) {
            XenalyzeSummary.of(cur).print(out, DemoXentrace.CPU_HZ);
        }
        try (Connection c = DuckStore.open(db, false)) {
            for (String q : List.of("hypercalls_per_vcpu", "mmu_update_batch_sizes")) {
                out.printf("%n== 5. ptorder sql %s -q %s   (%s)%n", db, q, QueryLibrary.find(q).purpose());
                print(c, QueryLibrary.find(q).sql(), out);
            }
            String ops = "SELECT f.path AS trace, count(*) AS ops, count(*) FILTER (WHERE op = 'enq') AS enq,"
                + " count(*) FILTER (WHERE op = 'flush') AS flush, count(*) FILTER (WHERE op LIKE '%multi') AS remote,"
                + " count(*) FILTER (WHERE op = 'lock') AS locks FROM mmu_ops JOIN trace_files f USING (file_id)"
                + " GROUP BY f.path ORDER BY f.path";
            out.printf("%n== 6. ptorder sql %s \"%s\"%n", db, "SELECT ... FROM mmu_ops GROUP BY trace");
            print(c, ops, out);
        }

        out.printf("%n== 7. planted in the simulated traces (from the --truth files): what 'ptorder check' must report%n");
        out.printf("%-26s %-19s %-9s %6s %6s%n", "kind", "class", "label", "linux", "netbsd");
        for (InjectionKind k : InjectionKind.values()) {
            Map<String, Integer> n = new LinkedHashMap<>();
            String cls = "";
            String label = "";
            for (Map.Entry<String, TruthFile> t : truths.entrySet()) {
                int count = 0;
                for (TruthFile.Record rec : t.getValue().planted) {
                    if (rec.kind().equals(k.text())) {
                        count++;
                        cls = cls.isEmpty() || cls.equals(rec.cls()) ? rec.cls() : classes(cls, rec.cls());
                        label = label.isEmpty() || label.equals(rec.label()) ? rec.label() : label + "/" + rec.label();
                    }
                }
                n.put(t.getKey(), count);
            }
            out.printf("%-26s %-19s %-9s %6d %6d%n", k.text(), cls, label, n.get("linux"), n.get("netbsd"));
        }
        out.printf("Each record in %s lists the events (seq in the .pmt) of one bug; the report's findings are%n",
            dir.resolve("sim-linux.truth.json"));
        out.printf("what the checker made of them; the two agree bug for bug (README-simulate.md, \"What ptorder check reports\").%n");
        out.printf("%n== 8. the report: %s   (open it in a browser; also %s and %s)%n", analysed.reports().get(0),
            analysed.reports().get(1).getFileName(), analysed.reports().get(2).getFileName());

        out.printf("%nNext: ptorder sql %s --list   (more named queries), ptorder sql %s   (interactive),%n", db, db);
        out.printf("      ptorder diff %s OTHER.duckdb   (what changed between two analyses),%n", db);
        out.printf("      ptorder dump %s --cpu-hz 2G | less, ptorder export %s --parquet %s,%n", trace, db,
            dir.resolve("parquet"));
        out.printf("      ptorder simulate --help   (workloads, injection kinds, the xentrace side)%n");
        return Main.OK;
    }

    private static String classes(String a, String b) {
        for (String x : a.split("/")) {
            if (x.equals(b)) {
                return a;
            }
        }
        return a + "/" + b;
    }

    private void simulate(String system, Path pmt, Path truth) throws Exception {
        Map<InjectionKind, Double> all = new EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            all.put(k, SIM_RATE);
        }
        SimConfig cfg = new SimConfig(system, 2, SIM_EVENTS, 0, "mixed", seed, all);
        try (OutputStream p = new BufferedOutputStream(Files.newOutputStream(pmt), 1 << 16);
             OutputStream t = new BufferedOutputStream(Files.newOutputStream(truth))) {
            Simulator.run(cfg, p, null, t);
        }
    }

    private static void print(Connection c, String sql, PrintWriter out) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            new ResultPrinter(ResultPrinter.Format.table, 40).print(rs, out);
        }
    }
}
