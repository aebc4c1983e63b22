package org.ptorder.ingest.pipeline;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.common.Sha256;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.ftrace.FtraceLowering;
import org.ptorder.ingest.ftrace.FtraceReader;
import org.ptorder.ingest.ftrace.GuestClock;
import org.ptorder.ingest.ftrace.GuestEventsTable;
import org.ptorder.ingest.ftrace.TraceFacts;
import org.ptorder.ingest.ftrace.TraceHeader;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpsTable;
import org.ptorder.ingest.store.DuckStore;

/**
 * Loads one ftrace text file: a first pass stores every event line in {@code guest_events} and
 * learns what the lowering needs (guest frames, CPUs, whether lazy labels are believable); a
 * second pass lowers the xen:* events to {@code mmu_ops}. Both stream; nothing of the first
 * pass is kept but those facts.
 */
final class FtraceIngest {
    private FtraceIngest() { }

    static FileReport ingest(DuckStore store, int fileId, Path path, Ingest.Options opts) throws Exception {
        return ingest(store, fileId, path, opts, FtraceLowering.Options.defaults());
    }

    static FileReport ingest(DuckStore store, int fileId, Path path, Ingest.Options opts,
                             FtraceLowering.Options lowering) throws Exception {
        CompletableFuture<String> sha = Sha256.ofFileAsync(path);
        long size = path.toFile().length();
        Progress progress = opts.progress();
        WarningList warnings = new WarningList();
        TraceFacts facts = new TraceFacts();
        TraceHeader header;
        long events;
        long lost;
        try (FtraceReader r = FtraceReader.open(path, warnings)) {
            progress.start("guest_events " + path.getFileName(), size);
            GuestEventsTable.load(store, r, fileId, opts.cpuHz(), facts, warnings, progress::update);
            progress.finish();
            header = r.header();
            events = r.events();
            lost = r.lostEvents();
        }
        facts.finish();
        checkHeader(header, events, warnings);
        GuestClock clock = new GuestClock(facts.firstTime == MmuOp.NONE ? 0 : facts.firstTime, facts.cycles,
            opts.cpuHz());
        if (events > 0) {
            // Damage was reported by the first pass; the second stays quiet about it.
            try (FtraceReader r = FtraceReader.open(path, WarningSink.IGNORE)) {
                FtraceLowering low = new FtraceLowering(r, facts, clock, warnings, lowering);
                progress.start("mmu_ops " + path.getFileName(), size);
                MmuOpsTable.load(store, low, fileId, r::fileBytesRead, progress);
                progress.finish();
                low.explain();
            }
        }
        facts.explain(warnings);
        XentraceIngest.insertWarnings(store, fileId, warnings);
        try (PreparedStatement ps = store.connection().prepareStatement(
            "INSERT INTO trace_files VALUES (?, ?, 'ftrace', ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, ?, ?)")) {
            boolean cyc = facts.cycles && events > 0;
            ps.setInt(1, fileId);
            ps.setString(2, path.toString());
            ps.setLong(3, size);
            ps.setString(4, sha.join());
            ps.setObject(5, cyc && opts.cpuHz() > 0 ? opts.cpuHz() : null);
            ps.setString(6, clock.nsKnown() ? "ns" : "cycles");
            ps.setObject(7, cyc ? facts.firstTime : null);
            ps.setObject(8, cyc ? facts.lastTime : null);
            ps.setInt(9, facts.cpuCount(0));
            ps.setLong(10, events);
            ps.setLong(11, lost + header.overwritten());
            ps.setLong(12, warnings.total());
            ps.executeUpdate();
        }
        return new FileReport(fileId, path, "ftrace", size, events, warnings.total());
    }

    private static void checkHeader(TraceHeader h, long events, WarningList w) {
        if (h.entriesInBuffer >= 0 && h.entriesInBuffer != events) {
            w.warn(-1, -1, "entries_mismatch", "the header says " + h.entriesInBuffer + " entries in the buffer, "
                + events + " event lines were read");
        }
        if (h.overwritten() > 0) {
            w.warn(-1, -1, "overwritten", "the ring buffer overwrote " + h.overwritten() + " of "
                + h.entriesWritten + " events before the text was read: the trace starts with partial batches");
        }
    }
}
