package org.ptorder.ingest.xentrace;

import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.RowFeed;

/**
 * One pass over a xentrace file's merged timeline that turns some of its records into rows of
 * one table. Every record goes through the scheduler replay, so each pass attributes records
 * the same way (and the way xenalyze does); a record is attributed to the vCPU current before
 * the record's own effect.
 */
public abstract class XenPass extends RowFeed {
    protected final RecordCursor cursor;
    protected final TimeBase time;
    protected final int fileId;
    private final SchedReplay sched = new SchedReplay();
    private final LongConsumer progress;

    protected XenPass(BufferAllocator allocator, RecordCursor cursor, int fileId, TimeBase time,
                      LongConsumer progress) {
        super(allocator, 64 * 1024);
        this.cursor = cursor;
        this.fileId = fileId;
        this.time = time;
        this.progress = progress;
    }

    /** Caches the typed vectors of a fresh batch. */
    protected abstract void bind(VectorSchemaRoot root);

    /** Writes {@code r} at {@code row} if this table wants it; returns whether it did. */
    protected abstract boolean write(XenRecord r, int row, int dom, int vcpu);

    @Override
    protected final int fill(VectorSchemaRoot root, int max) {
        bind(root);
        int n = 0;
        while (n < max && cursor.next()) {
            if (cursor.endedCpu() >= 0) {
                sched.endOfStream(cursor.endedCpu());
            }
            XenRecord r = cursor.record();
            SchedReplay.Vcpu v = sched.current(r.cpu());
            if (write(r, n, v == null ? -1 : v.d.did, v == null ? -1 : v.vid)) {
                n++;
            }
            sched.observe(r);
        }
        progress.accept(cursor.bytesDone());
        return n;
    }
}
