package org.ptorder.analyze.report;

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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.store.DuckStore;

/** Reports from real databases: determinism, caps, escaping, the JSON schema, scored and not scored. */
class ReportTest {
    @TempDir
    static Path dir;
    static Path db;
    static Path scored;

    @BeforeAll
    static void databases() throws Exception {
        db = Fixtures.checkedDb(dir, "netbsd", "netbsd", 12_000, 7, 0.002);
        scored = dir.resolve("scored.duckdb");
        Files.copy(db, scored, StandardCopyOption.REPLACE_EXISTING);
        Fixtures.addScores(scored);
    }

    static ReportData load(Path p, ReportLoader.Options o) throws Exception {
        return Reports.load(p, "test", o, null);
    }

    static long violations(Path p) throws Exception {
        try (Connection c = DuckStore.open(p, false); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*) FROM violations")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void sameDatabaseGivesByteIdenticalReports() throws Exception {
        for (ReportFormat f : ReportFormat.values()) {
            String a = f.render(load(scored, ReportLoader.Options.defaults()));
            String b = f.render(load(scored, ReportLoader.Options.defaults()));
            assertEquals(a, b, f + " differs between two runs");
            assertFalse(a.matches("(?s).*20\\d\\d-\\d\\d-\\d\\dT.*"), f + " has a timestamp nobody asked for");
        }
        ReportLoader.Options stamped = new ReportLoader.Options(200, 10, 120, null, "2026-01-02T03:04:05Z");
        assertTrue(HtmlReport.render(load(db, stamped)).contains("2026-01-02T03:04:05Z"));
    }

    @Test
    void jsonFollowsItsSchemaAndAgreesWithTheDatabase() throws Exception {
        Map<String, Object> j = MiniJson.obj(MiniJson.parse(JsonReport.render(load(db, ReportLoader.Options.defaults()))));
        assertEquals(ReportData.SCHEMA, j.get("schema"));
        assertEquals(1.0, j.get("schema_version"));
        for (String k : List.of("tool", "generated_at", "database", "parameters", "verdict", "inputs", "clocks", "checks",
            "summary", "undecided", "findings", "scores", "charts", "diff")) {
            assertTrue(j.containsKey(k), "missing " + k);
        }
        long total = violations(db);
        assertTrue(total > 20, "the fixture should plant enough bugs: " + total);
        Map<String, Object> sum = MiniJson.obj(j.get("summary"));
        assertEquals((double) total, sum.get("total"));
        double byClass = 0;
        for (Object o : MiniJson.arr(sum.get("by_class"))) {
            byClass += (Double) MiniJson.obj(o).get("count");
        }
        assertEquals((double) total, byClass);
        Map<String, Object> in = MiniJson.obj(MiniJson.arr(j.get("inputs")).get(0));
        assertTrue(((String) in.get("sha256")).matches("[0-9a-f]{64}"));
        assertEquals((double) Files.size(dir.resolve(Path.of((String) in.get("path")).getFileName())), in.get("size_bytes"));
        Map<String, Object> f = MiniJson.obj(MiniJson.arr(j.get("findings")).get(0));
        assertEquals("OBSERVED", f.get("label"), "surest findings first");
        Map<String, Object> w = MiniJson.obj(f.get("writer"));
        assertTrue(w.get("line") instanceof Double, "a .pmt event carries its source line: " + w);
        assertFalse(MiniJson.arr(f.get("interleaving")).isEmpty());
        assertEquals("not scored", MiniJson.obj(j.get("scores")).get("status"));
        assertEquals("observed", MiniJson.obj(j.get("verdict")).get("level"));
        Map<String, Object> charts = MiniJson.obj(j.get("charts"));
        Map<String, Object> depth = MiniJson.obj(MiniJson.arr(charts.get("queue_depth")).get(0));
        for (Object lane : MiniJson.arr(depth.get("lanes"))) {
            assertEquals(120, MiniJson.arr(MiniJson.obj(lane).get("max_depth")).size(), "binned, whatever the length");
        }
        assertFalse(MiniJson.arr(charts.get("batch_sizes")).isEmpty());
        assertFalse(MiniJson.arr(charts.get("hypercall_rate")).isEmpty());
    }

    @Test
    void findingsAreCappedPerGroupAndOverallAndTheRestCounted() throws Exception {
        ReportData d = load(db, new ReportLoader.Options(5, 1, 60, null, null));
        assertEquals(5, d.findings().size());
        assertEquals(violations(db), d.findingsTotal());
        String html = HtmlReport.render(d);
        assertEquals(5, count(html, "<article class=\"finding "));
        long more = 0;
        Matcher m = Pattern.compile("<p class=\"more\" data-count=\"(\\d+)\"").matcher(html);
        while (m.find()) {
            more += Long.parseLong(m.group(1));
        }
        assertEquals(d.findingsTotal(), 5 + more, "shown + counted rest = all findings");
        assertTrue(MarkdownReport.render(d).contains("Not shown: " + (d.findingsTotal() - 5) + " more findings"));
        assertEquals(60, d.charts().queueDepth().get(0).lanes().get(0).maxDepth().length);
    }

    @Test
    void everythingFromTheTraceIsEscaped() throws Exception {
        ReportData d = load(scored, ReportLoader.Options.defaults());
        assertTrue(d.inputs().get(0).path().contains("<script>"), "the fixture's path is the attack");
        String html = HtmlReport.render(d);
        assertFalse(html.contains("<script"), "no script element may reach the page");
        assertFalse(html.contains("<img"), "scheme names are escaped too");
        assertFalse(html.contains("<b>&lt;") && html.contains("'a'"), "quotes in attributes are escaped");
        assertTrue(html.contains("sim &lt;script&gt;alert(1)&lt;\\script&gt; &amp; &quot;q&quot; &#39;a&#39;"));
        String md = MarkdownReport.render(d);
        // inside a code span Markdown shows text literally; anywhere else HTML would take effect
        String outsideCode = md.replaceAll("`[^`\n]*`", "");
        assertFalse(outsideCode.contains("<script") || outsideCode.contains("<img"), "Markdown renders HTML: inert");
        assertTrue(md.contains("<script>alert(1)<\\script> & \"q\" 'a' \\|b\\| 'c'"), "a path is a code span");
        Map<String, Object> j = MiniJson.obj(MiniJson.parse(JsonReport.render(d)));
        String path = (String) MiniJson.obj(MiniJson.arr(j.get("inputs")).get(0)).get("path");
        assertEquals(d.inputs().get(0).path(), path, "JSON keeps the text exactly");
    }

    @Test
    void scoredDatabaseShowsViolationsAndCostBarsWithRanges() throws Exception {
        ReportData d = load(scored, ReportLoader.Options.defaults());
        assertEquals("default", d.scores().paramSet());
        assertEquals(List.of("default", "sweep:ipi_ns=2000"), d.scores().paramSets());
        assertEquals("S0", d.scores().rows().get(0).scheme(), "schemes in the design's order");
        String html = HtmlReport.render(d);
        assertEquals(3, count(html, "<svg class=\"chart cost-bars\""), "one chart per cost metric");
        assertTrue(html.contains("id=\"scheme-violations\""));
        assertTrue(html.contains("class=\"whisker\""), "the uncertainty ranges are drawn");
        assertTrue(html.contains("2,000–3,100") || html.contains("2,000 – 3,100"), html.substring(html.indexOf("cost-bars")));
        String md = MarkdownReport.render(d);
        assertTrue(md.contains("| Sa' | hypercalls.mmu\\_update | 2,500 | [2,000 – 3,100] | calls |"), md);
        Map<String, Object> s = MiniJson.obj(MiniJson.obj(MiniJson.parse(JsonReport.render(d))).get("scores"));
        assertEquals("scored", s.get("status"));
        assertEquals(10, MiniJson.arr(s.get("rows")).size(), "the rows of the shown parameter set");
        ReportData sweep = load(scored, new ReportLoader.Options(200, 10, 120, "sweep:ipi_ns=2000", null));
        assertEquals(1, sweep.scores().rows().size());
        assertNull(load(db, ReportLoader.Options.defaults()).scores());
        assertTrue(HtmlReport.render(load(db, ReportLoader.Options.defaults())).contains("Not scored"));
    }

    @Test
    void anUncheckedDatabaseSaysSo() throws Exception {
        Path bare = dir.resolve("bare.duckdb");
        Files.copy(db, bare, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DuckStore.open(bare, true); Statement st = c.createStatement()) {
            st.execute("DROP TABLE check_runs");
            st.execute("DROP TABLE violations");
            st.execute("DROP TABLE check_undecided");
        }
        ReportData d = load(bare, ReportLoader.Options.defaults());
        assertEquals("not-checked", Verdict.of(d).level());
        assertTrue(MarkdownReport.render(d).contains("Not checked"));
        assertFalse(d.charts().queueDepth().isEmpty(), "the charts need no check");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
