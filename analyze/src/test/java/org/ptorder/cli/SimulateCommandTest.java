package org.ptorder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.sim.InjectionKind;
import org.ptorder.ingest.sim.TruthFile;
import org.ptorder.ingest.store.DuckStore;

/** {@code ptorder simulate} on the command line: files, output, determinism, bad usage. */
class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTraceTruthAndXentraceThatIngest() throws Exception {
        Path pmt = dir.resolve("t.pmt");
        Path truth = dir.resolve("t.json");
        Path xen = dir.resolve("t.xen");
        Run r = Run.of("simulate", "-o", pmt.toString(), "--system", "netbsd", "--cpus", "3", "--ops", "50k",
            "--workload", "mixed", "--seed", "4", "--inject", "all:0.003", "--truth", truth.toString(),
            "--xentrace", xen.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("events (netbsd, 3 vCPUs, mixed, seed 4)"), r.out());
        assertTrue(r.out().contains("planted "), r.out());
        TruthFile t = TruthFile.read(truth);
        assertFalse(t.planted.isEmpty());
        assertEquals("netbsd", t.header.get("system"));
        for (TruthFile.Record rec : t.planted) {
            assertTrue(InjectionKind.parse(rec.kind()) != null, rec.kind());
        }
        Path db = dir.resolve("t.duckdb");
        Run ing = Run.of("ingest", pmt.toString(), xen.toString(), "--cpu-hz", "2G", "-o", db.toString());
        assertEquals(0, ing.exit(), ing.err());
        try (Connection c = DuckStore.open(db, false); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT cpu) FROM mmu_ops")) {
            rs.next();
            assertTrue(rs.getLong(1) >= 50_000);
            assertEquals(3, rs.getLong(2));
        }
        // every file lands whole: no temporary files left behind
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
        }
    }

    @Test
    void sameArgumentsSameBytesAndGzipWorks() throws Exception {
        Path a = dir.resolve("a.pmt");
        Path b = dir.resolve("b.pmt");
        Path gz = dir.resolve("c.pmt.gz");
        for (Path p : new Path[] {a, b, gz}) {
            assertEquals(0, Run.of("simulate", "-o", p.toString(), "--duration", "3ms", "--workload", "fork-exec",
                "--inject", "flush-after-unlock:0.01").exit());
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertTrue(Files.size(gz) < Files.size(a));
        assertEquals(0, Run.of("ingest", gz.toString(), "-o", dir.resolve("gz.duckdb").toString()).exit());
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        String o = dir.resolve("x.pmt").toString();
        String[][] bad = {
            {"simulate", "-o", o},
            {"simulate", "-o", o, "--ops", "1k", "--duration", "1s"},
            {"simulate", "-o", o, "--ops", "lots"},
            {"simulate", "-o", o, "--duration", "5"},
            {"simulate", "-o", o, "--ops", "1k", "--cpus", "0"},
            {"simulate", "-o", o, "--ops", "1k", "--cpus", "65"},
            {"simulate", "-o", o, "--ops", "1k", "--system", "freebsd"},
            {"simulate", "-o", o, "--ops", "1k", "--workload", "idle"},
            {"simulate", "-o", o, "--ops", "1k", "--inject", "typo"},
            {"simulate", "-o", o, "--ops", "1k", "--inject", "all:2"},
        };
        for (String[] args : bad) {
            Run r = Run.of(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertFalse(Files.exists(dir.resolve("x.pmt")));
    }

    @Test
    void helpListsTheCommand() {
        assertTrue(Run.of("--help").out().contains("  simulate "));
        String help = Run.of("simulate", "--help").out();
        for (InjectionKind k : InjectionKind.values()) {
            assertTrue(help.contains(k.text()), k.text());
        }
    }
}
