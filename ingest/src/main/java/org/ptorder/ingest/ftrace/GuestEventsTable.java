package org.ptorder.ingest.ftrace;

import java.util.function.LongConsumer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.store.BatchColumn;
import org.ptorder.ingest.store.Columns;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.store.TableWriter;

/**
 * Rows of {@code guest_events}: one per event line. Each line is also shown to
 * {@link TraceFacts}, which is how the first pass learns what the second (the lowering) needs.
 */
public final class GuestEventsTable extends TableWriter {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("line").i32("cpu").str("task")
        .i32("pid").str("flags").i64("ts").i64("tsc").str("raw_time").str("name").str("fields").schema();

    private final int fileId;
    private final long cpuHz;
    private final TraceFacts facts;
    private GuestClock clock;
    private final BatchColumn.I32 file = column(0);
    private final BatchColumn.I64 line = column(1);
    private final BatchColumn.I32 cpu = column(2);
    private final BatchColumn.Utf8 task = column(3);
    private final BatchColumn.I32 pid = column(4);
    private final BatchColumn.Utf8 flags = column(5);
    private final BatchColumn.I64 ts = column(6);
    private final BatchColumn.I64 tsc = column(7);
    private final BatchColumn.Utf8 rawTime = column(8);
    private final BatchColumn.Utf8 name = column(9);
    private final BatchColumn.Utf8 fields = column(10);

    private final WarningSink warnings;

    public GuestEventsTable(int fileId, long cpuHz, TraceFacts facts, WarningSink warnings) {
        super("guest_events", SCHEMA);
        this.fileId = fileId;
        this.cpuHz = cpuHz;
        this.facts = facts;
        this.warnings = warnings;
    }

    /** Loads every event line of {@code reader} into {@code guest_events}. */
    public static void load(DuckStore store, FtraceReader reader, int fileId, long cpuHz, TraceFacts facts,
                            WarningSink warnings, LongConsumer progress) throws Exception {
        GuestEventsTable t = new GuestEventsTable(fileId, cpuHz, facts, warnings);
        store.load(() -> {
            while (reader.next()) {
                t.write(reader.line());
                if ((t.rows() & 0xFFFF) == 0) {
                    progress.accept(reader.fileBytesRead());
                }
            }
        }, t);
    }

    /** One event line; text columns are copied straight from the line's bytes (no String per row). */
    public void write(FtraceLine l) throws InterruptedException {
        if (clock == null) {
            clock = new GuestClock(l.time, l.cycles, cpuHz);
        }
        facts.observe(l);
        byte[] b = l.buf;
        int n = row;
        file.set(n, fileId);
        line.set(n, l.lineNo);
        cpu.set(n, l.cpu);
        boolean utf8 = true;
        if (!l.unknownComm) {
            utf8 = task.set(n, b, l.commStart, l.commEnd - l.commStart);
        }
        pid.set(n, l.pid);
        if (l.flagsEnd > l.flagsStart) {
            utf8 &= flags.set(n, b, l.flagsStart, l.flagsEnd - l.flagsStart);
        }
        long ns = clock.ns(l.time);
        if (ns != MmuOp.NONE) {
            ts.set(n, ns);
        }
        long c = clock.tsc(l.time);
        if (c != MmuOp.NONE) {
            tsc.set(n, c);
        }
        utf8 &= rawTime.set(n, b, l.timeStart, l.timeEnd - l.timeStart);
        utf8 &= name.set(n, b, l.nameStart, l.nameEnd - l.nameStart);
        utf8 &= fields.set(n, b, l.fieldsStart, l.end - l.fieldsStart);
        if (!utf8) {
            warnings.warn(l.lineNo, l.cpu, "invalid_utf8", "line " + l.lineNo + ": bytes that are not UTF-8;"
                + " guest_events holds U+FFFD in their place (the lowering read the line as it is)");
        }
        commitRow();
    }
}
