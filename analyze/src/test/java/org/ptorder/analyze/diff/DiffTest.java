package org.ptorder.analyze.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.analyze.report.Fixtures;
import org.ptorder.ingest.store.DuckStore;

/** {@code ptorder diff} on real databases: identity matching, new/gone/relabelled groups, metric deltas, schemes. */
class DiffTest {
    @TempDir
    static Path dir;
    static Path a;

    @BeforeAll
    static void base() throws Exception {
        a = Fixtures.checkedDb(dir, "base", "netbsd", 12_000, 7, 0.002);
    }

    static Path variant(String name, String... sql) throws Exception {
        Path p = dir.resolve(name + ".duckdb");
        Files.copy(a, p, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DuckStore.open(p, true); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
        return p;
    }

    static long scalar(Path db, String sql) throws Exception {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String text(Path db, String sql) throws Exception {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            return r.getString(1);
        }
    }

    static DiffData.MetricDelta metric(DiffData d, String name) {
        return d.metrics().stream().filter(m -> m.metric().equals(name)).findFirst().orElse(null);
    }

    @Test
    void aRerunMatchesThoughEveryEventMoved() throws Exception {
        // the same findings, every event 1000 positions, lines and ns later: nothing is new or gone
        Path b = variant("moved", "UPDATE violations SET writer_seq = writer_seq + 1000, reader_seq = reader_seq + 1000,"
            + " writer_line = writer_line + 1000, reader_line = reader_line + 1000, writer_ts = writer_ts + 5000,"
            + " reader_ts = reader_ts + 5000, evidence_seq = evidence_seq + 1000");
        DiffData d = DiffLoader.databases(a, b, 200);
        assertEquals(0, d.added());
        assertEquals(0, d.gone());
        assertEquals(0, d.relabelled());
        assertTrue(d.matched() > 5, "groups: " + d.matched());
        assertTrue(d.findings().isEmpty());
        assertFalse(metric(d, "findings.total").changed());
        assertFalse(metric(d, "mmu_ops.enq").changed());
    }

    @Test
    void aFixARelabelAndARegressionAreEachReported() throws Exception {
        long v8 = scalar(a, "SELECT count(*) FROM violations WHERE class = 'V8'");
        long v6groups = scalar(a, "SELECT count(DISTINCT (pte, va, frame, writer_loc, reader_op)) FROM violations"
            + " WHERE class = 'V6'");
        // the regression: a copy of the findings of one small class, as V2 at a new code location
        String src = "(SELECT class FROM violations WHERE class NOT IN ('V8', 'V6') GROUP BY class ORDER BY count(*),"
            + " class LIMIT 1)";
        long v4 = scalar(a, "SELECT count(*) FROM violations WHERE class = " + src);
        assertTrue(v8 > 0 && v6groups > 0 && v4 > 0, "the fixture plants V8, V6 and more: " + v8 + " " + v6groups + " " + v4);
        Path b = variant("changed", "DELETE FROM violations WHERE class = 'V8'",
            "UPDATE violations SET label = 'OBSERVED' WHERE class = 'V6'",
            "INSERT INTO violations SELECT * REPLACE ('V2' AS class, 'pmap.c:99' AS reader_loc) FROM violations"
                + " WHERE class = " + src);
        DiffData d = DiffLoader.databases(a, b, 200);
        long newGroups = d.findings().stream().filter(f -> f.change().equals("new")).count();
        assertEquals(d.added(), newGroups);
        assertTrue(d.added() >= 1 && d.added() <= v4);
        assertTrue(d.findings().stream().filter(f -> f.change().equals("new"))
            .allMatch(f -> f.cls().equals("V2") && f.readerLoc().equals("pmap.c:99") && f.countA() == 0));
        assertTrue(d.findings().stream().filter(f -> f.change().equals("gone")).allMatch(f -> f.cls().equals("V8")));
        assertEquals(v8, d.findings().stream().filter(f -> f.change().equals("gone")).mapToLong(DiffData.FindingDelta::countA).sum());
        assertTrue(d.findings().stream().filter(f -> f.change().equals("label"))
            .allMatch(f -> f.cls().equals("V6") && "OBSERVED".equals(f.labelsB())));
        assertEquals("new", d.findings().get(0).change(), "new findings first: they are what a reviewer needs");
        DiffData.MetricDelta gone = metric(d, "findings.V8." + text(a, "SELECT min(label) FROM violations WHERE class = 'V8'"
            + " HAVING count(DISTINCT label) = 1"));
        assertEquals((double) v8, gone.a());
        assertEquals(0.0, gone.b(), "a class that disappeared counts 0, not 'missing'");
        assertEquals(-1.0, gone.relative());
        DiffData.MetricDelta capped = metric(DiffLoader.databases(a, b, 1), "findings.total");
        assertEquals(metric(d, "findings.total"), capped, "the cap only shortens the list");
        assertEquals(d.added() + d.gone() + d.relabelled() - 1,
            DiffLoader.databases(a, b, 1).findingsLeft() - countOnly(d));
    }

    /** Groups with the same labels but another count are listed too (as 'count'), beyond added/gone/relabelled. */
    private static long countOnly(DiffData d) {
        return d.findings().stream().filter(f -> f.change().equals("count")).count();
    }

    @Test
    void schemeScoresAreComparedWithTheirUncertainty() throws Exception {
        Path s = variant("scored-a");
        Fixtures.addScores(s);
        Path t = variant("scored-b");
        Fixtures.addScores(t);
        try (Connection c = DuckStore.open(t, true); Statement st = c.createStatement()) {
            st.execute("UPDATE scheme_scores SET value = 1250, low = 1120, high = 1400 WHERE scheme = 'SN'"
                + " AND metric = 'hypercalls.mmu_update'");
            st.execute("UPDATE scheme_scores SET value = 9000, low = 8500, high = 9500 WHERE scheme = 'Sa'''"
                + " AND metric = 'hypercalls.mmu_update'");
        }
        DiffData d = DiffLoader.databases(s, t, 200);
        DiffData.MetricDelta within = metric(d, "score.SN.default.hypercalls.mmu_update");
        assertTrue(within.changed());
        assertFalse(within.significant(), "1200 [1100-1350] -> 1250 [1120-1400] overlaps");
        assertTrue(metric(d, "score.Sa'.default.hypercalls.mmu_update").significant());
        assertTrue(d.notes().isEmpty(), d.notes().toString());
        assertTrue(DiffLoader.databases(a, s, 10).notes().get(0).contains("only " + s + " is scored"));
    }

    @Test
    void twoSchemesOfOneDatabase() throws Exception {
        Path s = variant("scored");
        Fixtures.addScores(s);
        DiffData d = DiffLoader.schemes(s, "SN", "Sa'");
        assertEquals("schemes", d.mode());
        assertEquals(1, d.gone(), "Sa' prevents the V1 findings SN leaves");
        assertEquals("V1", d.findings().get(0).cls());
        DiffData.MetricDelta m = metric(d, "hypercalls.mmu_update");
        assertEquals(1200.0, m.a());
        assertEquals(2500.0, m.b());
        assertTrue(m.significant());
        DiffData.MetricDelta sweep = metric(d, "initiator_wait_ns.p99 @sweep:ipi_ns=2000");
        assertEquals(6100.0, sweep.a());
        assertNull(sweep.b(), "Sa' was not swept there");
    }
}
