package org.ptorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.store.DuckStore;

class ScoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void tableShowsViolationsByClassThenCosts() {
        Run r = Run.of("score", CheckCommandTest.litmus("lt05-two-queues-same-pte.pmt").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("V2 |"), r.out());
        String s1 = r.out().lines().filter(l -> l.matches("\\s+S1\\s+\\d.*")).findFirst().orElseThrow();
        String s0 = r.out().lines().filter(l -> l.matches("\\s+S0\\s+\\d.*")).findFirst().orElseThrow();
        assertTrue(s0.trim().split("\\s+")[1].equals("1") && s1.trim().split("\\s+")[1].equals("0"), r.out());
        assertTrue(r.out().contains("ranking by added CPU time"), r.out());
    }

    @Test
    void jsonHasTheIssuesShape() {
        Run r = Run.of("score", CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt").toString(), "--schemes",
            "S0,Sa'", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{") && r.out().contains("\"schemes\": [{\"scheme\": \"S0\", \"violations\":"
            + " {\"V1\": 1,"), r.out());
        assertTrue(r.out().contains("{\"scheme\": \"Sa'\", \"violations\": {\"V1\": 0,"), r.out());
        assertTrue(r.out().contains("\"costs\": {\"hypercalls.mmu_update\": "), r.out());
    }

    @Test
    void databaseGetsSchemeScoresWithRangesFromASweep() throws Exception {
        Path db = dir.resolve("t.duckdb");
        assertEquals(0, Run.of("ingest", CheckCommandTest.litmus("lt03-vacuous-shootdown.pmt").toString(), "-o",
            db.toString()).exit());
        Run r = Run.of("score", db.toString(), "--sweep", "ipi_ns=2000:6000:3");
        assertEquals(0, r.exit(), r.err());
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT scheme), count(DISTINCT param_set),"
                + " count(*) FILTER (WHERE low IS NULL AND param_set = 'default') FROM scheme_scores")) {
                rs.next();
                assertEquals(8, rs.getInt(1));
                assertEquals(4, rs.getInt(2), "default + 3 sweep points");
                assertEquals(0, rs.getInt(3), "default rows carry ranges");
            }
            try (ResultSet rs = st.executeQuery("SELECT value, low, high, unit FROM scheme_scores WHERE scheme = 'Sa'"
                + " AND param_set = 'default' AND metric = 'initiator_wait_ns.total'")) {
                rs.next();
                assertEquals(8600, rs.getDouble(1));
                assertEquals(4600, rs.getDouble(2), "two rounds at ipi_ns = 2000: 2600 + 2000");
                assertEquals(12600, rs.getDouble(3));
                assertEquals("ns", rs.getString(4));
            }
            try (ResultSet rs = st.executeQuery("SELECT value FROM scheme_scores WHERE scheme = 'S0'"
                + " AND param_set = 'ipi_ns=6000' AND metric = 'violations.V3'")) {
                rs.next();
                assertEquals(1, rs.getDouble(1));
            }
        }
        // scoring again replaces the rows
        assertEquals(0, Run.of("score", db.toString(), "--schemes", "S0").exit());
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(DISTINCT scheme) FROM scheme_scores")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void costFileAndBadUsage() throws Exception {
        Path costs = dir.resolve("c.properties");
        Files.writeString(costs, "# test\nipi_ns = 10000\nsa.targets = nonempty\n");
        Run r = Run.of("score", CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt").toString(), "--costs",
            costs.toString(), "--schemes", "Sa", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"initiator_wait_ns.total\": 10600"), r.out());
        Files.writeString(costs, "ipi_ns = fast\n");
        Run bad = Run.of("score", CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt").toString(), "--costs",
            costs.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("line 1") && bad.err().contains("ipi_ns takes a number"), bad.err());
        assertEquals(2, Run.of("score", "x.pmt", "--schemes", "S2").exit());
        assertEquals(2, Run.of("score", CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt").toString(), "--sweep",
            "ipi_ns=5").exit());
        assertEquals(2, Run.of("score", CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt").toString(), "--set",
            "sa.targets=some").exit());
        Run p = Run.of("score", "--print-costs");
        assertEquals(0, p.exit());
        assertTrue(p.out().contains("hypercall_ns = 500") && p.out().contains("uncertain 200..1000"), p.out());
    }
}
