package org.ptorder.ingest.ftrace;

import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.store.Columns;
import org.ptorder.ingest.store.RowFeed;

/**
 * Rows of {@code guest_events}: one per event line, text columns copied straight from the
 * line's bytes (no String per row). Each line is also shown to {@link TraceFacts}, which is
 * how the first pass learns what the second (the lowering) needs.
 */
public final class GuestEventsFeed extends RowFeed {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("line").i32("cpu").str("task")
        .i32("pid").str("flags").i64("ts").i64("tsc").str("raw_time").str("name").str("fields").schema();

    private final FtraceReader reader;
    private final int fileId;
    private final long cpuHz;
    private final TraceFacts facts;
    private final LongConsumer progress;
    private GuestClock clock;

    public GuestEventsFeed(BufferAllocator allocator, FtraceReader reader, int fileId, long cpuHz, TraceFacts facts,
                           LongConsumer progress) {
        super(allocator, 32 * 1024);
        this.reader = reader;
        this.fileId = fileId;
        this.cpuHz = cpuHz;
        this.facts = facts;
        this.progress = progress;
    }

    @Override
    protected Schema schema() {
        return SCHEMA;
    }

    @Override
    protected int fill(VectorSchemaRoot root, int max) {
        IntVector file = (IntVector) root.getVector(0);
        BigIntVector line = (BigIntVector) root.getVector(1);
        IntVector cpu = (IntVector) root.getVector(2);
        VarCharVector task = (VarCharVector) root.getVector(3);
        IntVector pid = (IntVector) root.getVector(4);
        VarCharVector flags = (VarCharVector) root.getVector(5);
        BigIntVector ts = (BigIntVector) root.getVector(6);
        BigIntVector tsc = (BigIntVector) root.getVector(7);
        VarCharVector rawTime = (VarCharVector) root.getVector(8);
        VarCharVector name = (VarCharVector) root.getVector(9);
        VarCharVector fields = (VarCharVector) root.getVector(10);
        int n = 0;
        while (n < max && reader.next()) {
            FtraceLine l = reader.line();
            if (clock == null) {
                clock = new GuestClock(l.time, l.cycles, cpuHz);
            }
            facts.observe(l);
            byte[] b = l.buf;
            file.set(n, fileId);
            line.set(n, l.lineNo);
            cpu.set(n, l.cpu);
            if (!l.unknownComm) {
                task.setSafe(n, b, l.commStart, l.commEnd - l.commStart);
            }
            pid.set(n, l.pid);
            if (l.flagsEnd > l.flagsStart) {
                flags.setSafe(n, b, l.flagsStart, l.flagsEnd - l.flagsStart);
            }
            long ns = clock.ns(l.time);
            if (ns != MmuOp.NONE) {
                ts.set(n, ns);
            }
            long c = clock.tsc(l.time);
            if (c != MmuOp.NONE) {
                tsc.set(n, c);
            }
            rawTime.setSafe(n, b, l.timeStart, l.timeEnd - l.timeStart);
            name.setSafe(n, b, l.nameStart, l.nameEnd - l.nameStart);
            fields.setSafe(n, b, l.fieldsStart, l.end - l.fieldsStart);
            n++;
        }
        progress.accept(reader.fileBytesRead());
        return n;
    }
}
