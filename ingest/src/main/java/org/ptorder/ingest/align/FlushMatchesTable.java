package org.ptorder.ingest.align;

import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.store.Columns;
import org.ptorder.ingest.store.TableWriter;

/** Rows of {@code flush_matches}: each guest hypercall and the Xen record it was matched to. */
final class FlushMatchesTable extends TableWriter {
    static final Schema SCHEMA = new Columns().i32("guest_file_id").i64("guest_line").i32("cpu").i32("expected_op")
        .i64("expected_count").i64("guest_xen_tsc").i32("xen_file_id").i64("xen_seq").i64("xen_tsc")
        .i64("xen_count").i64("gap_cycles").i64("dur_cycles").schema();

    private final int guestFile;
    private final int xenFile;

    FlushMatchesTable(int guestFile, int xenFile) {
        super("flush_matches", SCHEMA);
        this.guestFile = guestFile;
        this.xenFile = xenFile;
    }

    void write(CallMatcher.Call c, ClockMap map) throws InterruptedException {
        long at = map.toXen(c.time());
        setInt(0, guestFile);
        setLong(1, c.line());
        setInt(2, c.cpu());
        setInt(3, c.op());
        setLong(4, c.count() >= 0 ? c.count() : NULL);
        setLong(5, at);
        setInt(6, xenFile);
        if (c.matched()) {
            setLong(7, c.xenSeq());
            setLong(8, c.xenTsc());
            setLong(9, c.xenCount() >= 0 ? c.xenCount() : NULL);
            setLong(10, c.xenTsc() - at);
        }
        commitRow();
    }
}
