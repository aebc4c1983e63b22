package org.ptorder.ingest.xentrace;

import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.RowFeed;

/**
 * One pass over a xentrace file's merged timeline that turns some of its records into rows of
 * one table. Every record goes through the vCPU tracker, so each pass attributes records the
 * same way; a record is attributed to the vCPU current before the record's own effect.
 */
public abstract class XenPass extends RowFeed {
    protected final RecordCursor cursor;
    protected final TimeBase time;
    protected final int fileId;
    private final VcpuTracker tracker = new VcpuTracker();
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
            XenRecord r = cursor.record();
            int cpu = r.cpu();
            if (write(r, n, tracker.dom(cpu), tracker.vcpu(cpu))) {
                n++;
            }
            tracker.observe(r);
        }
        progress.accept(cursor.bytesDone());
        return n;
    }
}
