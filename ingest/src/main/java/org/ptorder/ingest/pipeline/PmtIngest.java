package org.ptorder.ingest.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.common.Sha256;
import org.ptorder.ingest.common.TraceInput;
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
        TraceInput in = TraceInput.open(path);
        PmtReader reader;
        try {
            reader = new PmtReader(path, in, opts.cpuHz(), warnings);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
        try (PmtReader r = reader) {
            MmuOpsTable.load(store, r, fileId, in::fileBytesRead, progress);
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
}
