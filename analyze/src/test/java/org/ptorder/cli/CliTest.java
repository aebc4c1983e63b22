package org.ptorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.analyze.sql.QueryLibrary;
import org.ptorder.ingest.sim.DemoXentrace;
import org.ptorder.testdata.TestDatabases;

/** The command line end to end on a trace of our own making: exit codes, outputs, files. */
class CliTest {
    @TempDir
    static Path dir;
    static Path trace;
    static Path db;

    @BeforeAll
    static void ingest() throws Exception {
        trace = dir.resolve("demo.trace");
        DemoXentrace.write(trace, 120, 3);
        db = dir.resolve("demo.duckdb");
        Run r = Run.of("ingest", trace.toString(), "--cpu-hz", "2G", "-o", db.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("\\d+ records, [0-9.]+ MB in [0-9.]+ s \\([0-9.]+ MB/s\\) -> .*\\n"), r.out());
    }

    @Test
    void helpIsFastAndTeaches() {
        Run r = Run.of("--help");
        assertEquals(0, r.exit());
        for (String cmd : new String[] {"analyze", "ingest", "check", "report", "diff", "summary", "dump", "sql", "export", "simulate",
            "demo", "bench"}) {
            assertTrue(r.out().contains("  " + cmd + " "), cmd);
        }
        assertTrue(Run.of("ingest", "--help").out().contains("--cpu-hz"));
    }

    /** Each description line as written appears whole in --help: none re-wrapped mid-sentence. */
    @Test
    void helpKeepsTheDescriptionLinesAsWritten() {
        picocli.CommandLine root = Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter()));
        java.util.List<picocli.CommandLine> all = new java.util.ArrayList<>(root.getSubcommands().values());
        for (int i = 0; i < all.size(); i++) {
            all.addAll(all.get(i).getSubcommands().values().stream().filter(c -> !all.contains(c)).toList());
        }
        for (picocli.CommandLine c : all) {
            String help = c.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
            for (String text : c.getCommandSpec().usageMessage().description()) {
                for (String line : String.format(text).strip().split("\n")) { // picocli's are format strings
                    assertTrue(help.contains(line.strip()), c.getCommandName() + " --help re-wraps: " + line);
                }
            }
        }
    }

    @Test
    void badUsageAndBadInputExitTwoWithOneLine() throws Exception {
        Run missing = Run.of("ingest", dir.resolve("nope.trace").toString(), "-o", dir.resolve("x.duckdb").toString());
        assertEquals(2, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("nope.trace: no such file"), missing.err());
        assertFalse(Files.exists(dir.resolve("x.duckdb")));

        Path junk = Files.write(dir.resolve("junk.trace"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        Run bad = Run.of("summary", junk.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("junk.trace: offset 0: not a xentrace file"), bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());

        Run notDb = Run.of("export", junk.toString(), "--parquet", dir.resolve("pq-junk").toString());
        assertEquals(2, notDb.exit(), notDb.err());
        assertTrue(notDb.err().contains("cannot open as a DuckDB database"), notDb.err());

        assertEquals(2, Run.of("ingest", trace.toString()).exit()); // no -o
        assertEquals(2, Run.of("frobnicate").exit());
        assertEquals(2, Run.of("summary", trace.toString(), "--cpu-hz", "fast").exit());
        assertEquals(2, Run.of("dump", trace.toString(), "--from", "1s").exit()); // needs --cpu-hz
        assertEquals(2, Run.of("sql", db.toString(), "-q", "no_such_query").exit());
        assertEquals(2, Run.of("sql", db.toString(), "SELECT * FROM no_such_table").exit());
    }

    @Test
    void errorsOfASubcommandNameItWhole() {
        Run missing = Run.of("bench", "ftrace", dir.resolve("nope.txt").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("ptorder bench ftrace: ") && missing.err().contains("nope.txt: no such file"),
            missing.err());
        Run badOption = Run.of("bench", "check", "--frobnicate");
        assertEquals(2, badOption.exit());
        assertTrue(badOption.err().contains("Try 'ptorder bench check --help'"), badOption.err());
    }

    @Test
    void sqlFormats() {
        String q = "SELECT 1 AS a, 'x,y' AS b, NULL AS c";
        assertEquals("a,b,c\n1,\"x,y\",\n", Run.of("sql", db.toString(), q, "--format", "csv").out());
        assertEquals("[\n  {\"a\": 1, \"b\": \"x,y\", \"c\": null}\n]\n",
            Run.of("sql", db.toString(), q, "--format", "json").out());
        assertEquals("| a | b   | c |\n|--:|-----|--:|\n| 1 | x,y |   |\n",
            Run.of("sql", db.toString(), q, "--format", "markdown").out());
        Run t = Run.of("sql", db.toString(), q);
        assertTrue(t.out().contains("(1 row)"), t.out());
    }

    @Test
    void everyNamedQueryRuns() throws Exception {
        assertTrue(QueryLibrary.all().size() >= 15);
        // A xentrace-only database has nothing to score: the scheme queries run on its empty
        // scheme_scores (NamedQueriesRealTest runs them on scored guest traces).
        for (QueryLibrary.Query q : QueryLibrary.all()) {
            assertFalse(q.purpose().isEmpty(), q.name());
            Run r = Run.of("sql", db.toString(), "-q", q.name(), "--format", "csv");
            assertEquals(0, r.exit(), q.name() + ": " + r.err());
            assertTrue(r.out().lines().count() >= 1, q.name() + " printed no header");
        }
        Run list = Run.of("sql", "--list");
        assertTrue(list.out().contains("mmu_update_batch_sizes"), list.out());
    }

    @Test
    void sqlParameters() {
        Run r = Run.of("sql", db.toString(), "-q", "busiest_intervals", "-p", "top=2", "--format", "csv");
        assertEquals(3, r.out().lines().count(), r.out());
    }

    @Test
    void exportWritesParquetThatDuckDbReadsBack() throws Exception {
        Path out = dir.resolve("pq");
        Run r = Run.of("export", db.toString(), "--parquet", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isDirectory(out.resolve("records").resolve("file_id=0")));
        String count = Run.of("sql", db.toString(), "SELECT (SELECT count(*) FROM read_parquet('" + out
            + "/records/*/*.parquet', hive_partitioning = true)) = (SELECT count(*) FROM records)", "--format", "csv").out();
        assertEquals("(SELECT count(*) FROM read_parquet('" .length() > 0 ? "true" : "", count.lines().skip(1).findFirst().orElse(""));
        assertEquals(2, Run.of("export", db.toString(), "--parquet", out.toString()).exit()); // exists
        assertEquals(0, Run.of("export", db.toString(), "--parquet", out.toString(), "--force").exit());
    }

    @Test
    void dumpShowsDecodedRecordsInTimeOrder() {
        Run r = Run.of("dump", trace.toString(), "--cpu-hz", "2G", "--cpu", "1", "--to", "1ms");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(" p1 d0v1 "), r.out());
        assertFalse(r.out().contains(" p0 "));
        assertTrue(r.out().contains("hypercall mmu_update (1)"), r.out());
    }

    @Test
    void summaryWithoutHzSaysCycles() {
        Run r = Run.of("summary", trace.toString());
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Total time: "), r.out());
        assertTrue(r.out().lines().findFirst().get().contains("cycles"));
        assertTrue(r.out().contains("PV events:"));
    }

    @Test
    void demoRunsFromNothing() {
        Run r = Run.of("demo", "--dir", dir.resolve("d").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("PV events:"));
        assertTrue(r.out().contains("mmu_update_batch_sizes"));
        assertTrue(Files.exists(dir.resolve("d/demo.duckdb")));
        assertTrue(r.out().contains("planted in the simulated traces"), r.out());
        for (org.ptorder.ingest.sim.InjectionKind k : org.ptorder.ingest.sim.InjectionKind.values()) {
            assertTrue(r.out().contains(k.text()), k.text());
        }
        assertTrue(Files.exists(dir.resolve("d/sim-linux.pmt")) && Files.exists(dir.resolve("d/sim-netbsd.truth.json")));
        // the demo runs 'analyze': the findings are checked and the report is written and named
        assertTrue(r.out().contains("== 8. the report: " + dir.resolve("d/report.html")), r.out());
        assertTrue(Files.exists(dir.resolve("d/report.html")) && Files.exists(dir.resolve("d/report.json")));
        assertTrue(r.out().contains("verdict: Broken ordering observed"), r.out());
    }
}
