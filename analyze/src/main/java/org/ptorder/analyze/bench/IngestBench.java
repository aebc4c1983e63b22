package org.ptorder.analyze.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import org.ptorder.ingest.xentrace.TraceReplicator;
import org.ptorder.ingest.xentrace.XenRecord;

/**
 * {@code ptorder bench}: xentrace parse and ingest throughput on large files built from a real
 * capture, each number beside a baseline measured in the same run on the same file, because
 * these machines are noisy: {@code cat FILE > /dev/null} for reading, DuckDB's own Parquet load
 * of the same rows for loading. Ingest runs in a child JVM with a fixed heap so its peak RSS can
 * be compared across file sizes.
 */
public final class IngestBench {
    private final Path source;
    private final Path dir;
    private final String heap;
    private final PrintWriter out;

    public IngestBench(Path source, Path dir, String heap, PrintWriter out) {
        this.source = source;
        this.dir = dir;
        this.heap = heap;
        this.out = out;
    }

    /** The tables an ingest of a xentrace file fills in proportion to its size; {@code records} first (the first baseline). */
    private static final List<String> BULK_TABLES = List.of("records", "hypercalls", "lost_records");

    /**
     * One file size's results. The Parquet baselines load what the ingest wrote: {@code records}
     * alone, and every bulk table ({@code allRows} rows), so the ratio can be read either way.
     */
    record Row(long bytes, long records, double catSecs, double parseSecs, double ingestSecs, long ingestRssKb,
               long allRows, double parquetRecordsSecs, double parquetAllSecs) { }

    public void run(List<Long> sizes) throws Exception {
        Files.createDirectories(dir);
        Path jar = jarPath();
        List<Row> rows = new ArrayList<>();
        for (long size : sizes) {
            Path file = dir.resolve("bench-" + (size >> 20) + "M.trace");
            out.printf("building %s from %s ...%n", file, source);
            out.flush();
            long bytes = TraceReplicator.replicate(source, file, size);
            rows.add(measure(file, bytes, jar));
            Files.deleteIfExists(file);
        }
        print(rows);
    }

    private Row measure(Path file, long bytes, Path jar) throws Exception {
        Measure.run(List.of("sh", "-c", "cat '" + file + "' > /dev/null")); // warm the page cache
        double cat = Measure.run(List.of("sh", "-c", "cat '" + file + "' > /dev/null")).seconds();
        parse(file); // JIT warm-up on the same code path
        long t0 = System.nanoTime();
        long records = parse(file);
        double parse = (System.nanoTime() - t0) / 1e9;

        Path db = dir.resolve("bench.duckdb");
        List<String> cmd = List.of(javaBin(), "-XX:+UseParallelGC", "-Xmx" + heap, "-jar", jar.toString(), "ingest",
            file.toString(), "-o", db.toString());
        out.printf("ingesting %d records in a child JVM (-Xmx%s) ...%n", records, heap);
        out.flush();
        Measure.Result ingest = Measure.run(cmd);
        if (ingest.exit() != 0) {
            throw new IllegalStateException("ingest failed: " + ingest.output());
        }
        long allRows = 0;
        List<Path> parquet = new ArrayList<>();
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement()) {
            for (String table : BULK_TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    allRows += rs.getLong(1);
                }
                Path pq = dir.resolve("bench-" + table + ".parquet");
                st.execute("COPY " + table + " TO '" + pq + "' (FORMAT parquet, COMPRESSION zstd)");
                parquet.add(pq);
            }
        }
        Files.deleteIfExists(db);
        out.println("loading the same rows from Parquet into a fresh DuckDB file ...");
        out.flush();
        double parquetRecords = parquetLoad(parquet.subList(0, 1)); // records alone
        double parquetAll = parquetLoad(parquet);
        for (Path pq : parquet) {
            Files.deleteIfExists(pq);
        }
        return new Row(bytes, records, cat, parse, ingest.seconds(), ingest.peakRssKb(), allRows, parquetRecords,
            parquetAll);
    }

    /** Time for a fresh on-disk DuckDB to load the Parquet files, each into a table of its own. */
    private double parquetLoad(List<Path> files) throws SQLException, IOException {
        Path target = dir.resolve("parquet-load.duckdb");
        Files.deleteIfExists(target);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + target); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            int i = 0;
            for (Path pq : files) {
                st.execute("CREATE TABLE t" + (i++) + " AS SELECT * FROM read_parquet('" + pq + "')");
            }
            st.execute("CHECKPOINT");
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** Reads every record through the merge, touching its fields so nothing is optimised away. */
    static long parse(Path file) {
        long n = 0;
        long sink = 0;
        try (RecordCursor c = RecordCursor.open(TraceFile.open(file), WarningSink.IGNORE)) {
            while (c.next()) {
                XenRecord r = c.record();
                sink += r.event() + r.tsc() + r.cpu();
                n++;
            }
        }
        if (sink == 42) {
            System.err.print("");
        }
        return n;
    }

    private void print(List<Row> rows) {
        out.println();
        out.println("| file | records | cat MB/s | parse+merge M rec/s (MB/s) | ratio to cat | ingest s | rows written"
            + " | Parquet load of records s | ingest / Parquet (records) | Parquet load of all rows s"
            + " | ingest / Parquet (all rows) | ingest peak anon RSS (-Xmx" + heap + ") |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            double mb = r.bytes() / 1e6;
            out.printf("| %.2f GB | %d | %.0f | %.1f (%.0f) | %.2f | %.1f (%.2f M rec/s) | %d | %.1f (%.2f M rows/s)"
                    + " | %.2f | %.1f (%.2f M rows/s) | %.2f | %d MB |%n",
                r.bytes() / 1e9, r.records(), mb / r.catSecs(), r.records() / r.parseSecs() / 1e6, mb / r.parseSecs(),
                r.catSecs() / r.parseSecs(), r.ingestSecs(), r.records() / r.ingestSecs() / 1e6, r.allRows(),
                r.parquetRecordsSecs(), r.records() / r.parquetRecordsSecs() / 1e6,
                r.parquetRecordsSecs() / r.ingestSecs(), r.parquetAllSecs(), r.allRows() / r.parquetAllSecs() / 1e6,
                r.parquetAllSecs() / r.ingestSecs(), r.ingestRssKb() / 1024);
        }
        out.println();
        out.println("parse+merge: in this JVM, after one warm-up pass. ingest: 'ptorder ingest' in a child JVM,"
            + " wall time including start-up, writing every table (records, hypercalls, lost_records, ...)."
            + " Parquet load: a fresh DuckDB file loading, from zstd Parquet exported from the ingest's own"
            + " database, first records alone, then every bulk table the ingest wrote (CREATE TABLE AS +"
            + " CHECKPOINT). A ratio is the Parquet load's time over the ingest's: 0.5 means the ingest runs at"
            + " half DuckDB's own load rate. Peak anon RSS: sampled every 20 ms, heap + DuckDB + native,"
            + " without the page cache of the mapped trace.");
        out.flush();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jarPath() throws Exception {
        Path p = Path.of(IngestBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!p.toString().endsWith(".jar")) {
            throw new IllegalStateException("ptorder bench runs from the jar (./ptorder bench), not from classes in " + p);
        }
        return p;
    }
}
