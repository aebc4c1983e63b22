package org.ptorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze, report and diff on the command line: files written, formats, exit codes, bad usage. */
class ReportCommandsTest {
    @TempDir
    Path dir;

    @Test
    void helpTeachesWithExamplesAndDefaults() {
        for (String cmd : new String[] {"analyze", "report", "diff"}) {
            Run r = Run.of(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().contains("Example"), cmd + ": " + r.out());
        }
        assertTrue(Run.of("report", "--help").out().contains("(default 200)"));
    }

    @Test
    void analyzeWritesTheDatabaseAndThreeReportsAndGatesOnFindings() throws Exception {
        Path lt1 = CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt");
        Path out = dir.resolve("out");
        Run r = Run.of("analyze", lt1.toString(), "-o", out.toString(), "--fail-on", "observed");
        assertEquals(1, r.exit(), r.out() + r.err());
        for (String f : new String[] {"analysis.duckdb", "report.html", "report.md", "report.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(r.out().contains("check:   1 guest trace, 1 finding"), r.out());
        assertTrue(r.out().contains("score:   8 schemes scored"), r.out());
        assertTrue(r.out().contains("Broken ordering observed"), r.out());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| V1 | OBSERVED | 1 |"), md);
        for (String scheme : new String[] {"S0", "SN", "S1", "Sa", "Sa'", "Sb", "Ssh", "SL"}) {
            assertTrue(md.contains("| " + scheme + " |"), scheme + " scored in the report");
        }

        Path clean = CheckCommandTest.litmus("lt12-benign-race.pmt");
        assertEquals(0, Run.of("analyze", clean.toString(), "-o", dir.resolve("c").toString(), "--fail-on", "any").exit());
        assertEquals(2, Run.of("analyze", clean.toString(), "-o", dir.toString(), "--fail-on", "sometimes").exit());
    }

    @Test
    void reportPicksTheFormatByExtensionAndPrintsToStdout() throws Exception {
        Path db = analysed("lt01-seed-lock-ordered.pmt");
        Run html = Run.of("report", db.toString(), "-o", dir.resolve("r.htm").toString());
        assertEquals(0, html.exit(), html.err());
        assertTrue(Files.readString(dir.resolve("r.htm")).startsWith("<!DOCTYPE html>"));
        Run json = Run.of("report", db.toString(), "-o", "-", "--format", "json");
        assertTrue(json.out().startsWith("{\n  \"schema\": \"ptorder-report\""), json.out());
        Run again = Run.of("report", db.toString(), "-o", "-", "--format", "json");
        assertEquals(json.out(), again.out(), "byte-identical");
        Run stamped = Run.of("report", db.toString(), "-o", "-", "--format", "json", "--timestamp");
        assertFalse(stamped.out().contains("\"generated_at\": null"));
        assertTrue(Run.of("report", db.toString(), "-o", "-", "--format", "markdown").out().startsWith("# ptorder report"));
    }

    @Test
    void badInputIsExitTwoInOneLine() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.duckdb"), "not a database");
        Run r = Run.of("report", junk.toString(), "-o", dir.resolve("x.html").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("x.html")), "no half report");
        assertEquals(2, Run.of("report", junk.toString(), "-o", "-", "--bins", "0").exit());
        assertEquals(2, Run.of("diff", junk.toString(), junk.toString()).exit());
        Run analyze = Run.of("analyze", junk.toString(), "-o", dir.resolve("never").toString());
        assertEquals(2, analyze.exit(), analyze.err());
        assertFalse(Files.exists(dir.resolve("never")), "no empty output directory left behind");
        Path db = analysed("lt01-seed-lock-ordered.pmt");
        Run unknown = Run.of("diff", db.toString(), "SN", "Sz");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no scheme 'Sz' in scheme_scores"), unknown.err());
        Path unscored = dir.resolve("unscored.duckdb");
        assertEquals(0, Run.of("ingest", CheckCommandTest.litmus("lt01-seed-lock-ordered.pmt").toString(), "-o",
            unscored.toString()).exit());
        Run schemes = Run.of("diff", unscored.toString(), "SN", "Sa");
        assertEquals(2, schemes.exit());
        assertTrue(schemes.err().contains("not scored yet"), schemes.err());
        assertEquals(2, Run.of("diff", db.toString(), db.toString(), "-o", dir.resolve("d.txt").toString()).exit());
    }

    @Test
    void diffGatesOnNewFindingsAndWritesASection() throws Exception {
        Path before = analysed("lt01b-seed-lock-ordered-latent.pmt");
        Path after = analysed("lt01-seed-lock-ordered.pmt");
        Run same = Run.of("diff", before.toString(), before.toString(), "--fail-on-new");
        assertEquals(0, same.exit(), same.out());
        assertTrue(same.out().contains("0 new, 0 gone"), same.out());
        Run d = Run.of("diff", before.toString(), after.toString(), "--fail-on-new", "-o", dir.resolve("d.json").toString());
        assertTrue(d.out().contains("findings (matched by class, PTE/VA, code location)"), d.out());
        assertTrue(Files.readString(dir.resolve("d.json")).contains("\"schema\": \"ptorder-report-diff\""));
        Run rep = Run.of("report", after.toString(), "-o", dir.resolve("with.html").toString(), "--baseline",
            before.toString());
        assertEquals(0, rep.exit(), rep.err());
        assertTrue(Files.readString(dir.resolve("with.html")).contains("<h2 id=\"diff\">"));
        assertEquals(d.exit(), d.out().contains(" 0 new,") ? 0 : 1, "--fail-on-new follows the count: " + d.out());
    }

    private Path analysed(String litmus) {
        Path out = dir.resolve(litmus);
        Run r = Run.of("analyze", CheckCommandTest.litmus(litmus).toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        return out.resolve("analysis.duckdb");
    }
}
