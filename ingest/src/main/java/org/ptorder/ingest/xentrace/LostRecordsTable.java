package org.ptorder.ingest.xentrace;

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

    public LostRecordsTable(int fileId, TimeBase time) {
        super("lost_records", SCHEMA, fileId, time);
    }

    @Override
    public void offer(XenRecord r, int curDom, int curVcpu) throws InterruptedException {
        if (r.event() != XenEvents.LOST_RECORDS || r.words() < 4) {
            return;
        }
        int who = r.word(1);
        long first = r.word64(2);
        setInt(0, fileId);
        setLong(1, r.seq());
        setLong(2, r.offset());
        setInt(3, r.cpu());
        setLong(4, r.word(0) & 0xFFFFFFFFL);
        setU16(5, who & 0xFFFF);
        setU16(6, who >>> 16);
        setLong(7, first);
        setLong(8, r.tsc());
        setLong(9, time.nsOrMin(first));
        setLong(10, time.nsOrMin(r.tsc()));
        commitRow();
    }
}
