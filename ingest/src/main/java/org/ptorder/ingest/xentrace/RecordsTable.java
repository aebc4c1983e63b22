package org.ptorder.ingest.xentrace;

import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.BatchColumn;
import org.ptorder.ingest.store.Columns;

/** Rows of {@code records}: every record of the merged timeline, raw words kept. */
public final class RecordsTable extends XenTable {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("file_offset").i32("cpu")
        .i64("tsc").bool("tsc_inherited").i64("ts").u32("event").u8("n_words")
        .u32("d0").u32("d1").u32("d2").u32("d3").u32("d4").u32("d5").u32("d6")
        .u16("dom").u16("vcpu").schema();

    // Typed columns kept in fields: every record writes here, so no per-cell lookup or cast.
    private final BatchColumn.I32 fileIdC = column(0);
    private final BatchColumn.I64 seqC = column(1);
    private final BatchColumn.I64 offC = column(2);
    private final BatchColumn.I32 cpuC = column(3);
    private final BatchColumn.I64 tscC = column(4);
    private final BatchColumn.Bool inhC = column(5);
    private final BatchColumn.I64 tsC = column(6);
    private final BatchColumn.I32 evC = column(7);
    private final BatchColumn.I8 nC = column(8);
    private final BatchColumn.I32[] dC = new BatchColumn.I32[7];
    private final BatchColumn.I16 domC = column(16);
    private final BatchColumn.I16 vcpuC = column(17);

    public RecordsTable(int fileId, TimeBase time) {
        super("records", SCHEMA, fileId, time);
        for (int i = 0; i < 7; i++) {
            dC[i] = column(9 + i);
        }
    }

    @Override
    public void offer(XenRecord r, int dom, int vcpu) throws InterruptedException {
        int row = this.row;
        fileIdC.set(row, fileId);
        seqC.set(row, r.seq());
        offC.set(row, r.offset());
        cpuC.set(row, r.cpu());
        tscC.set(row, r.tsc());
        inhC.set(row, r.tscInherited());
        if (time.known()) {
            tsC.set(row, time.nsOrMin(r.tsc()));
        }
        evC.set(row, r.event());
        int n = r.words();
        nC.set(row, n);
        for (int i = 0; i < n; i++) {
            dC[i].set(row, r.word(i));
        }
        if (dom >= 0) {
            domC.set(row, dom);
            vcpuC.set(row, vcpu);
        }
        commitRow();
    }
}
