package org.ptorder.analyze.pipeline;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.analyze.report.ReportData;
import org.ptorder.analyze.report.ReportFormat;
import org.ptorder.analyze.report.ReportLoader;
import org.ptorder.analyze.report.Reports;
import org.ptorder.analyze.report.Verdict;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.pipeline.FileReport;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/**
 * {@code ptorder analyze}: ingest, check, score and report in one go, into one directory: the
 * database, then {@code report.html}, {@code report.md} and {@code report.json} from it. Each
 * stage prints one line; the stages themselves are the ones the separate commands run.
 */
public final class Analysis {
    private Analysis() { }

    /**
     * @param dbName    the database's file name in the directory
     * @param system    the checker's --system (null: as placed)
     * @param scorer    the scoring stage, or null to skip it
     */
    public record Options(long cpuHz, String dbName, CheckOptions check, String system, ReportLoader.Options report,
                          ScoreStep scorer, String version, Progress progress) { }

    /** What came out: the database, the reports, and what the report's verdict says. */
    public record Result(Path db, List<Path> reports, Verdict verdict, ReportData data) { }

    public static Result run(List<Path> inputs, Path dir, Options o, PrintWriter log) throws Exception {
        boolean made = !Files.exists(dir);
        Files.createDirectories(dir);
        Path db = dir.resolve(o.dbName());
        long t0 = System.nanoTime();
        Ingest.Report ing;
        try {
            ing = Ingest.run(inputs, db, new Ingest.Options(o.cpuHz(), o.progress()));
        } catch (Exception e) {
            if (made) {
                try {
                    Files.deleteIfExists(dir); // bad input: leave no empty output directory behind
                } catch (java.io.IOException notEmpty) {
                    // something else is in it now: keep it; the input's error is what matters
                }
            }
            throw e;
        }
        long records = ing.files().stream().mapToLong(FileReport::records).sum();
        log.printf("ingest:  %d file%s, %,d records -> %s (%.1f s)%n", inputs.size(), inputs.size() == 1 ? "" : "s",
            records, db, secs(t0));
        for (var a : ing.alignments()) {
            log.println("         " + a.describe(ing.files().get(a.guestFile()).path().getFileName().toString(),
                ing.files().get(a.xenFile()).path().getFileName().toString()));
        }

        long t1 = System.nanoTime();
        if (guestOps(db) > 0) {
            CheckRun.Outcome out = CheckRun.run(db, o.check(), o.system(), true, -1);
            long n = out.files().stream().mapToLong(f -> f.result().findings().size()).sum();
            log.printf("check:   %d guest trace%s, %,d finding%s (%.1f s)%n", out.files().size(),
                out.files().size() == 1 ? "" : "s", n, n == 1 ? "" : "s", secs(t1));
        } else {
            log.println("check:   skipped: no guest trace (xentrace records only Xen's side; add a .pmt or ftrace file)");
        }

        boolean guest = guestOps(db) > 0;
        if (o.scorer() != null && guest) {
            long t2 = System.nanoTime();
            String said = o.scorer().score(db, o.system());
            log.printf("score:   %s (%.1f s)%n", said, secs(t2));
        } else {
            log.println("score:   skipped: " + (guest ? "not asked for" : "no guest trace to replay")
                + "; the report says 'not scored'");
        }

        long t3 = System.nanoTime();
        ReportData d = Reports.load(db, o.version(), o.report(), null);
        List<Path> written = new ArrayList<>();
        long bytes = 0;
        for (ReportFormat f : ReportFormat.values()) {
            Path p = dir.resolve("report." + f.extension());
            String text = f.render(d);
            Reports.write(text, p);
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
            written.add(p);
        }
        log.printf("report:  %s, .md, .json (%,d bytes in all, %.1f s)%n", written.get(0), bytes, secs(t3));
        log.flush();
        return new Result(db, written, Verdict.of(d), d);
    }

    private static long guestOps(Path db) throws Exception {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*) FROM mmu_ops")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
