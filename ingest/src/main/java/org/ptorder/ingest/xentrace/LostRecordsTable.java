package org.ptorder.ingest.xentrace;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.Columns;

/**
 * Rows of {@code lost_records}: payload {@code u32 lost; u16 dom, u16 vcpu; u64 first_tsc}
 * (reference/xentrace.md §1.5). The record's own TSC is when recording resumed.
 */
public final class LostRecordsTable extends XenTable {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("file_offset").i32("cpu")
        .i64("lost").u16("dom").u16("vcpu").i64("first_tsc").i64("end_tsc").i64("first_ts").i64("end_ts")
        .schema();

    private VectorSchemaRoot root;

    public LostRecordsTable(int fileId, TimeBase time) {
        super("lost_records", fileId, time);
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    protected void bind(VectorSchemaRoot root) {
        this.root = root;
    }

    @Override
    public void offer(XenRecord r, int curDom, int curVcpu) throws InterruptedException {
        if (r.event() != XenEvents.LOST_RECORDS || r.words() < 4) {
            return;
        }
        int who = r.word(1);
        long first = r.word64(2);
        ((IntVector) root.getVector(0)).set(row, fileId);
        ((BigIntVector) root.getVector(1)).set(row, r.seq());
        ((BigIntVector) root.getVector(2)).set(row, r.offset());
        ((IntVector) root.getVector(3)).set(row, r.cpu());
        ((BigIntVector) root.getVector(4)).set(row, r.word(0) & 0xFFFFFFFFL);
        ((UInt2Vector) root.getVector(5)).set(row, who & 0xFFFF);
        ((UInt2Vector) root.getVector(6)).set(row, who >>> 16);
        ((BigIntVector) root.getVector(7)).set(row, first);
        ((BigIntVector) root.getVector(8)).set(row, r.tsc());
        if (time.known()) {
            ((BigIntVector) root.getVector(9)).set(row, time.nsOrMin(first));
            ((BigIntVector) root.getVector(10)).set(row, time.nsOrMin(r.tsc()));
        }
        commitRow();
    }
}
