package org.ptorder.ingest.pipeline;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.common.Sha256;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpsTable;
import org.ptorder.ingest.pmap.PmtHeader;
import org.ptorder.ingest.pmap.PmtReader;
import org.ptorder.ingest.store.DuckStore;

/**
 * Loads one .pmt file into the store: its events stream into {@code mmu_ops}, then one
 * {@code trace_files} row and the {@code ingest_warnings} rows. Columns of {@code trace_files}
 * that describe xentrace framing (windows, wrap and lost records) are 0 for a .pmt.
 */
final class PmtIngest {
    private PmtIngest() { }

    static FileReport ingest(DuckStore store, int fileId, Path path, Ingest.Options opts)
        throws Exception {
        CompletableFuture<String> sha = Sha256.ofFileAsync(path);
        WarningList warnings = new WarningList();
        long size = Files.size(path);
        Progress progress = opts.progress();
        progress.start("mmu_ops " + path.getFileName(), size);
        InputStream in = open(path, progress::update);
        PmtReader reader;
        try {
            reader = new PmtReader(path, in, opts.cpuHz(), warnings);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
        try (PmtReader r = reader) {
            MmuOpsTable.load(store, r, fileId);
        }
        progress.finish();
        XentraceIngest.insertWarnings(store, fileId, warnings);
        PmtHeader h = reader.header();
        try (PreparedStatement ps = store.connection().prepareStatement(
            "INSERT INTO trace_files VALUES (?, ?, 'pmt', ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0, ?)")) {
            ps.setInt(1, fileId);
            ps.setString(2, path.toString());
            ps.setLong(3, size);
            ps.setString(4, sha.join());
            ps.setObject(5, h.hz() > 0 ? h.hz() : null);
            ps.setString(6, reader.hasNs() ? "ns" : "cycles");
            ps.setObject(7, reader.minTsc() != MmuOp.NONE ? reader.minTsc() : null);
            ps.setObject(8, reader.maxTsc() != MmuOp.NONE ? reader.maxTsc() : null);
            ps.setInt(9, h.cpus() > 0 ? h.cpus() : reader.maxCpu() + 1);
            ps.setLong(10, reader.events());
            ps.setLong(11, warnings.total());
            ps.executeUpdate();
        }
        return new FileReport(fileId, path, "pmt", size, reader.events(), warnings.total());
    }

    /**
     * The decompressed text, reporting progress in bytes of the file (compressed or not), which is
     * what the progress total is.
     */
    private static InputStream open(Path path, LongConsumer progress) throws IOException {
        InputStream in = new BufferedInputStream(new Counting(Files.newInputStream(path), progress), 1 << 16);
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long done;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                progress.accept(++done);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                done += n;
                progress.accept(done);
            }
            return n;
        }
    }
}
