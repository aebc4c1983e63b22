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

    /** One file size's results. */
    record Row(long bytes, long records, double catSecs, double parseSecs, double ingestSecs, long ingestRssKb,
               long rows, double parquetSecs) { }

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
        List<String> cmd = List.of(javaBin(), "-Xmx" + heap, "-jar", jar.toString(), "ingest", file.toString(),
            "-o", db.toString());
        out.printf("ingesting %d records in a child JVM (-Xmx%s) ...%n", records, heap);
        out.flush();
        Measure.Result ingest = Measure.run(cmd);
        if (ingest.exit() != 0) {
            throw new IllegalStateException("ingest failed: " + ingest.output());
        }
        long rows;
        double parquet;
        Path pq = dir.resolve("bench-records.parquet");
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM records")) {
                rs.next();
                rows = rs.getLong(1);
            }
            st.execute("COPY records TO '" + pq + "' (FORMAT parquet, COMPRESSION zstd)");
        }
        parquet = parquetLoad(pq);
        Files.deleteIfExists(pq);
        Files.deleteIfExists(db);
        return new Row(bytes, records, cat, parse, ingest.seconds(), ingest.peakRssKb(), rows, parquet);
    }

    /** Time for a fresh on-disk DuckDB to load the Parquet file into a table. */
    private double parquetLoad(Path pq) throws SQLException, IOException {
        Path target = dir.resolve("parquet-load.duckdb");
        Files.deleteIfExists(target);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + target); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            st.execute("CREATE TABLE records AS SELECT * FROM read_parquet('" + pq + "')");
            st.execute("CHECKPOINT");
            double s = (System.nanoTime() - t0) / 1e9;
            return s;
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
        out.println("| file | records | cat MB/s | parse+merge M rec/s (MB/s) | ratio to cat | ingest M rows/s | "
            + "DuckDB Parquet load M rows/s | ingest / Parquet | ingest peak anon RSS (-Xmx" + heap + ") |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            double mb = r.bytes() / 1e6;
            out.printf("| %.2f GB | %d | %.0f | %.1f (%.0f) | %.2f | %.2f | %.2f | %.2f | %d MB |%n",
                r.bytes() / 1e9, r.records(), mb / r.catSecs(), r.records() / r.parseSecs() / 1e6, mb / r.parseSecs(),
                r.catSecs() / r.parseSecs(), r.rows() / r.ingestSecs() / 1e6, r.rows() / r.parquetSecs() / 1e6,
                r.parquetSecs() / r.ingestSecs(), r.ingestRssKb() / 1024);
        }
        out.println();
        out.println("parse+merge: in this JVM, after one warm-up pass. ingest: 'ptorder ingest' in a child JVM,"
            + " wall time including start-up, all tables (records, hypercalls, ...). Parquet load: a fresh DuckDB"
            + " file loading the same records table from zstd Parquet (CREATE TABLE AS + CHECKPOINT). Peak anon RSS:"
            + " sampled every 20 ms, heap + DuckDB + native, without the page cache of the mapped trace.");
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
