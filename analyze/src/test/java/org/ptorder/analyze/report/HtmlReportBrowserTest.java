package org.ptorder.analyze.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a person sees it: rendered by headless Chromium, asserted on through the
 * DevTools protocol (no console error, no request beyond the file itself, the finding count in
 * the verdict equals the summary table's and the findings listed, every SVG drawn with a size),
 * and a screenshot left in {@code analyze/target/report-screenshot.png}.
 */
class HtmlReportBrowserTest {
    @TempDir
    Path dir;

    static final String PROBE = """
        JSON.stringify({
          total: Number(document.querySelector('#finding-total').dataset.count),
          totalText: document.querySelector('#finding-total').textContent,
          tableSum: [...document.querySelectorAll('#finding-summary td.count')]
              .reduce((s, td) => s + Number(td.dataset.count), 0),
          tableTotal: document.querySelector('#finding-table-total').textContent,
          articles: document.querySelectorAll('article.finding').length,
          more: [...document.querySelectorAll('p.more')].reduce((s, p) => s + Number(p.dataset.count), 0),
          svgs: [...document.querySelectorAll('svg')].map(s => {
              const r = s.getBoundingClientRect();
              return {cls: s.getAttribute('class'), w: r.width, h: r.height, kids: s.querySelectorAll('*').length};
          }),
          lanesInArticles: document.querySelectorAll('article.finding svg.lanes').length,
          scripts: document.scripts.length,
          verdict: document.querySelector('#verdict').textContent,
          notScored: document.querySelector('#not-scored') !== null
        })""";

    @Test
    void theReportRendersInChromiumAndItsNumbersAgree() throws Exception {
        Chromium.require();
        Path db = Fixtures.checkedDb(dir, "linux", "linux", 12_000, 11, 0.002);
        Fixtures.addScores(db);
        ReportData d = Reports.load(db, "test", new ReportLoader.Options(12, 2, 120, null, null), null);
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(d), StandardCharsets.UTF_8);
        try (Chromium c = Chromium.launch()) {
            c.call("Runtime.enable", "{}");
            c.call("Log.enable", "{}");
            c.call("Page.enable", "{}");
            c.call("Network.enable", "{}");
            c.navigate(html.toUri().toString());
            Map<String, Object> p = MiniJson.obj(MiniJson.parse((String) c.eval(PROBE)));
            assertEquals(List.of(), c.errors(), "console errors");
            for (String url : c.requests()) {
                assertTrue(url.startsWith("file:") || url.startsWith("data:"), "the page fetched " + url);
            }
            assertEquals(0.0, p.get("scripts"));
            double total = (Double) p.get("total");
            assertEquals(d.findingsTotal(), (long) total);
            assertTrue(total > 10, "the fixture has findings to show: " + total);
            assertEquals(total, p.get("tableSum"), "the verdict's count equals the table's");
            assertEquals(p.get("totalText"), p.get("tableTotal"));
            assertEquals(12.0, p.get("articles"));
            assertEquals(total, (Double) p.get("articles") + (Double) p.get("more"), "listed + counted = all");
            List<Object> svgs = MiniJson.arr(p.get("svgs"));
            int charts = 0;
            for (Object o : svgs) {
                Map<String, Object> s = MiniJson.obj(o);
                assertTrue((Double) s.get("w") > 50 && (Double) s.get("h") > 20, "svg drawn with a size: " + s);
                assertTrue((Double) s.get("kids") >= 3, "svg not empty: " + s);
                charts += String.valueOf(s.get("cls")).startsWith("chart") ? 1 : 0;
            }
            // queue depth, guest batch sizes, guest rate, 3 cost metrics (+ scheme names)
            assertTrue(charts >= 6, "charts: " + charts);
            assertEquals(p.get("articles"), p.get("lanesInArticles"), "every finding has its lane diagram");
            assertTrue(((String) p.get("verdict")).startsWith("Broken ordering observed"), (String) p.get("verdict"));
            assertEquals(Boolean.FALSE, p.get("notScored"));
            byte[] png = c.screenshot(1200, 3200); // the verdict, inputs, summary, charts and schemes
            assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG: " + png.length);
            Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            System.out.println("report screenshot: " + shot + " (" + png.length + " bytes)");
        }
    }

    @Test
    void theHarnessSeesConsoleErrorsAndRequests() throws Exception {
        Chromium.require();
        Path page = dir.resolve("bad.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>x</title></head><body>"
            + "<img src=\"missing.png\"><script>console.error('planted'); undefinedFunction();</script></body></html>");
        try (Chromium c = Chromium.launch()) {
            c.call("Runtime.enable", "{}");
            c.call("Log.enable", "{}");
            c.call("Page.enable", "{}");
            c.call("Network.enable", "{}");
            c.navigate(page.toUri().toString());
            c.eval("1");
            List<String> errors = c.errors();
            assertTrue(errors.stream().anyMatch(e -> e.contains("planted")), errors.toString());
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("exception")), errors.toString());
            assertTrue(c.requests().stream().anyMatch(u -> u.endsWith("missing.png")), c.requests().toString());
        }
    }
}
