package org.ptorder.ingest.xentrace;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.Columns;

/** Rows of {@code records}: every record of the merged timeline, raw words kept. */
public final class RecordsTable extends XenTable {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("file_offset").i32("cpu")
        .i64("tsc").bool("tsc_inherited").i64("ts").u32("event").u8("n_words")
        .u32("d0").u32("d1").u32("d2").u32("d3").u32("d4").u32("d5").u32("d6")
        .u16("dom").u16("vcpu").schema();

    private IntVector fileIdV;
    private BigIntVector seqV;
    private BigIntVector offV;
    private IntVector cpuV;
    private BigIntVector tscV;
    private BitVector inhV;
    private BigIntVector tsV;
    private UInt4Vector evV;
    private UInt1Vector nV;
    private final UInt4Vector[] dV = new UInt4Vector[7];
    private UInt2Vector domV;
    private UInt2Vector vcpuV;

    public RecordsTable(int fileId, TimeBase time) {
        super("records", fileId, time);
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    protected void bind(VectorSchemaRoot root) {
        fileIdV = (IntVector) root.getVector(0);
        seqV = (BigIntVector) root.getVector(1);
        offV = (BigIntVector) root.getVector(2);
        cpuV = (IntVector) root.getVector(3);
        tscV = (BigIntVector) root.getVector(4);
        inhV = (BitVector) root.getVector(5);
        tsV = (BigIntVector) root.getVector(6);
        evV = (UInt4Vector) root.getVector(7);
        nV = (UInt1Vector) root.getVector(8);
        for (int i = 0; i < 7; i++) {
            dV[i] = (UInt4Vector) root.getVector(9 + i);
        }
        domV = (UInt2Vector) root.getVector(16);
        vcpuV = (UInt2Vector) root.getVector(17);
    }

    @Override
    public void offer(XenRecord r, int dom, int vcpu) throws InterruptedException {
        fileIdV.set(row, fileId);
        seqV.set(row, r.seq());
        offV.set(row, r.offset());
        cpuV.set(row, r.cpu());
        tscV.set(row, r.tsc());
        inhV.set(row, r.tscInherited() ? 1 : 0);
        if (time.known()) {
            tsV.set(row, time.nsOrMin(r.tsc()));
        }
        evV.set(row, r.event());
        int n = r.words();
        nV.set(row, n);
        for (int i = 0; i < n; i++) {
            dV[i].set(row, r.word(i));
        }
        if (dom >= 0) {
            domV.set(row, dom);
            vcpuV.set(row, vcpu);
        }
        commitRow();
    }
}
