package org.ptorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.sim.DemoXentrace;
import org.ptorder.ingest.store.DuckStore;

/** {@code ptorder check} end to end: formats, --fail-on exit codes, storage in a database, bad usage. */
class CheckCommandTest {
    @TempDir
    static Path dir;

    static Path litmus(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("src/test/resources/litmus").resolve(name);
            if (Files.exists(c)) {
                return c;
            }
            c = p.resolve("analyze/src/test/resources/litmus").resolve(name);
            if (Files.exists(c)) {
                return c;
            }
        }
        throw new AssertionError("no litmus file " + name);
    }

    static Path lt1;
    static Path lt1b;
    static Path lt12;

    @BeforeAll
    static void files() {
        lt1 = litmus("lt01-seed-lock-ordered.pmt");
        lt1b = litmus("lt01b-seed-lock-ordered-latent.pmt");
        lt12 = litmus("lt12-benign-race.pmt");
    }

    @Test
    void failOnGatesOnHowSureAFindingIs() {
        assertEquals(0, Run.of("check", lt1.toString()).exit(), "no --fail-on: findings are not a failure");
        assertEquals(1, Run.of("check", lt1.toString(), "--fail-on", "observed").exit());
        assertEquals(0, Run.of("check", lt1b.toString(), "--fail-on", "observed").exit(), "only LATENT there");
        assertEquals(1, Run.of("check", lt1b.toString(), "--fail-on", "latent").exit());
        assertEquals(1, Run.of("check", lt1b.toString(), "--fail-on", "any").exit());
        assertEquals(0, Run.of("check", lt12.toString(), "--fail-on", "any").exit(), "LT-12: nothing");
    }

    @Test
    void tableFormatHasTheSummaryTheUndecidedAndTheEvidence() {
        Run r = Run.of("check", lt1.toString());
        assertTrue(r.out().contains("V1                     1       0            0"), r.out());
        assertTrue(r.out().contains("undecided"), r.out());
        assertTrue(r.out().contains("V7: not checked"), r.out());
        assertTrue(r.out().contains("hb:       enq #2 (cpu0) -> unlock L #3 (cpu0) -> lock L #4 (cpu1) -> invlpg #5 (cpu1)"),
            r.out());
        assertTrue(r.out().contains("missing:  flush cpu0's queue before unlock L #3 (cpu0)"), r.out());
        assertTrue(r.out().contains("evidence: #6 cpu1 t=150 line 25 access va=0x7f7ff000 frame=0x12345"), r.out());
        assertTrue(r.out().contains("interleaving:"), r.out());
    }

    @Test
    void jsonHasFindingsWithExactClassAndLabelNamesAndTheUndecided() {
        Run r = Run.of("check", litmus("lt03-vacuous-shootdown.pmt").toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        String j = r.out();
        assertTrue(j.startsWith("{") && j.strip().endsWith("}"), j);
        assertTrue(j.contains("\"findings\": ["), j);
        assertTrue(j.contains("\"undecided\": ["), j);
        assertTrue(j.contains("{\"file_id\": 0, \"class\": \"V3\", \"label\": \"OBSERVED\", \"coverage\": \"va\", "
            + "\"pte\": \"0x1a2b3ff8\", \"va\": \"0x7f7ff000\""), j);
        assertTrue(j.contains("\"class\": \"V6\", \"label\": \"OBSERVED\""), j);
        assertTrue(j.contains("\"writer\": {\"seq\": 2, \"cpu\": 1, \"ts\": 110, \"line\": 23"), j);
        assertTrue(j.contains("\"reader\": {\"seq\": 5, \"cpu\": 0, \"ts\": 140, \"line\": 26"), j);
        assertTrue(j.contains("{\"file_id\": 0, \"class\": \"V7\", \"reason\": "), j);
        // every class and label named is one of the exact spellings
        Matcher m = Pattern.compile("\"class\": \"([^\"]+)\"").matcher(j);
        while (m.find()) {
            assertTrue(m.group(1).matches("V[1-9](-unsync|-stale-RMW|-local|-remote|-pending|-live-root|-pwc)?"),
                m.group(1));
        }
        Matcher l = Pattern.compile("\"label\": \"([^\"]+)\"").matcher(j);
        while (l.find()) {
            assertTrue(l.group(1).matches("OBSERVED|LATENT|BENIGN-RACE"), l.group(1));
        }
        // balanced
        assertEquals(j.chars().filter(c -> c == '{').count(), j.chars().filter(c -> c == '}').count());
        assertEquals(j.chars().filter(c -> c == '[').count(), j.chars().filter(c -> c == ']').count());
    }

    @Test
    void markdownHasTables() {
        Run r = Run.of("check", lt1.toString(), "--format", "markdown");
        assertTrue(r.out().contains("| class | OBSERVED | LATENT | BENIGN-RACE |"), r.out());
        assertTrue(r.out().contains("| V1 | 1 | 0 | 0 |"), r.out());
        assertTrue(r.out().contains("| 1 | V1 | OBSERVED | va |"), r.out());
    }

    @Test
    void aDatabaseGetsTheResultsAndACheckAgainReplacesThem() throws Exception {
        Path db = dir.resolve("lt3.duckdb");
        assertEquals(0, Run.of("ingest", litmus("lt03-vacuous-shootdown.pmt").toString(), "-o", db.toString()).exit());
        Run r = Run.of("check", db.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("stored in violations"), r.out());
        assertEquals("2 1", sql(db, "SELECT count(*) || ' ' || max(run_id) FROM violations"));
        assertEquals("V3 OBSERVED 2 5 9|V6 OBSERVED 2 6 9", sql(db, "SELECT string_agg(class || ' ' || label || ' ' "
            + "|| writer_seq || ' ' || reader_seq || ' ' || evidence_seq, '|' ORDER BY class) FROM violations"));
        assertEquals("439042040 0 2 0 0", sql(db, "SELECT max(pte) || ' ' || (SELECT file_id FROM check_runs) || ' ' || "
            + "(SELECT observed FROM check_runs) || ' ' || (SELECT latent FROM check_runs) || ' ' || "
            + "(SELECT benign_race FROM check_runs) FROM violations"));
        assertTrue(Long.parseLong(sql(db, "SELECT count(*) FROM check_undecided")) >= 3);
        assertEquals(0, Run.of("check", db.toString(), "--lock-map", "held").exit());
        assertEquals("3 2", sql(db, "SELECT count(*) || ' ' || max(run_id) FROM violations"), "V7 added, rows replaced");
        assertEquals("1", sql(db, "SELECT count(*) FROM check_runs"));
        assertEquals(0, Run.of("check", db.toString(), "--no-store").exit());
        assertEquals("2", sql(db, "SELECT max(run_id) FROM violations"), "--no-store leaves the rows");
        assertEquals(2, Run.of("check", db.toString(), "--file-id", "7").exit());
    }

    @Test
    void badUsageAndInputsThatHoldNoGuestOpsExitTwo() throws Exception {
        assertEquals(2, Run.of("check", lt1.toString(), "--fail-on", "sometimes").exit());
        assertEquals(2, Run.of("check", lt1.toString(), "--system", "plan9").exit());
        assertEquals(2, Run.of("check", lt1.toString(), "--file-id", "0").exit());
        Run missing = Run.of("check", dir.resolve("nope.pmt").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.pmt: no such file"), missing.err());
        Path xt = dir.resolve("demo.trace");
        DemoXentrace.write(xt, 20, 1);
        Run x = Run.of("check", xt.toString());
        assertEquals(2, x.exit());
        assertTrue(x.err().contains("not the guest's queues"), x.err());
        Path xdb = dir.resolve("xen.duckdb");
        assertEquals(0, Run.of("ingest", xt.toString(), "-o", xdb.toString()).exit());
        Run nx = Run.of("check", xdb.toString());
        assertEquals(2, nx.exit());
        assertTrue(nx.err().contains("no mmu_ops rows"), nx.err());
        assertFalse(nx.err().contains("Exception"), nx.err());
        Path lm = Files.writeString(dir.resolve("bad.locks"), "L zz\n");
        assertEquals(2, Run.of("check", lt1.toString(), "--lock-map", lm.toString()).exit());
    }

    @Test
    void lockMapsAndAtomicGroupsSwitchOnV7AndV9() throws Exception {
        assertTrue(Run.of("check", lt1.toString(), "--lock-map", "held").out().contains("V7                     0       1"));
        Path lm = Files.writeString(dir.resolve("pmap.locks"), "# lock -> page-table pages\nL 0x1a2b3\nM 0x1-0x3\n");
        Run r = Run.of("check", lt1.toString(), "--lock-map", lm.toString(), "--format", "json");
        assertTrue(r.out().contains("\"class\": \"V7\", \"label\": \"LATENT\", \"coverage\": \"lock\""), r.out());
        Path t = Files.writeString(dir.resolve("v9.pmt"), String.join("\n",
            "#! ptorder-pmap 1", "#! cpus=1",
            "10 0 lock lock=A",
            "20 0 enq pte=0x1000 val=0x5067",
            "30 0 flush n=1 reason=full",
            "40 0 enq pte=0x1008 val=0x6067",
            "50 0 flush n=1 reason=explicit",
            "60 0 unlock lock=A", ""));
        assertFalse(Run.of("check", t.toString()).out().contains("V9 "));
        Run v9 = Run.of("check", t.toString(), "--atomic-lock", "A", "--fail-on", "observed");
        assertEquals(1, v9.exit());
        assertTrue(v9.out().contains("V9                     1"), v9.out());
    }

    @Test
    void helpListsTheCommand() {
        assertTrue(Run.of("--help").out().contains("  check "));
        Run h = Run.of("check", "--help");
        assertTrue(h.out().contains("--fail-on") && h.out().contains("--format"), h.out());
        assertTrue(Run.of("bench", "check", "--help").out().contains("--ops"));
    }

    static String sql(Path db, String q) throws Exception {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
