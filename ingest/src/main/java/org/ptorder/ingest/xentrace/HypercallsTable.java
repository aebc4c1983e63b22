package org.ptorder.ingest.xentrace;

import java.util.Arrays;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.Columns;

/** Rows of {@code hypercalls}: V2 hypercall and multicall-entry records, arguments decoded. */
public final class HypercallsTable extends XenTable {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("file_offset").i32("cpu")
        .u16("dom").u16("vcpu").i64("tsc").i64("ts").i32("op").bool("is_subcall").i64("parent_seq")
        .u8("arg_mask").u64("a0").u64("a1").u64("a2").u64("a3").u64("a4").u64("a5")
        .i64("count").bool("preempted").schema();

    private final Hypercalls.Call call = new Hypercalls.Call();
    /** Per pCPU: seq of the last multicall record, the parent of the subcalls that follow it. */
    private long[] lastMulticall = new long[0];
    private VectorSchemaRoot root;

    public HypercallsTable(int fileId, TimeBase time) {
        super("hypercalls", fileId, time);
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
    public void offer(XenRecord r, int dom, int vcpu) throws InterruptedException {
        int ev = r.event();
        boolean sub = ev == XenEvents.PV_HYPERCALL_SUBCALL;
        if (!sub && ev != XenEvents.PV_HYPERCALL_V2) {
            return;
        }
        Hypercalls.decode(r, call);
        if (call.op < 0) {
            return;
        }
        int cpu = r.cpu();
        if (cpu >= lastMulticall.length) {
            int old = lastMulticall.length;
            lastMulticall = Arrays.copyOf(lastMulticall, Math.max(cpu + 1, old * 2));
            Arrays.fill(lastMulticall, old, lastMulticall.length, -1);
        }
        ((IntVector) root.getVector(0)).set(row, fileId);
        ((BigIntVector) root.getVector(1)).set(row, r.seq());
        ((BigIntVector) root.getVector(2)).set(row, r.offset());
        ((IntVector) root.getVector(3)).set(row, cpu);
        if (dom >= 0) {
            ((UInt2Vector) root.getVector(4)).set(row, dom);
            ((UInt2Vector) root.getVector(5)).set(row, vcpu);
        }
        ((BigIntVector) root.getVector(6)).set(row, r.tsc());
        if (time.known()) {
            ((BigIntVector) root.getVector(7)).set(row, time.nsOrMin(r.tsc()));
        }
        ((IntVector) root.getVector(8)).set(row, call.op);
        ((BitVector) root.getVector(9)).set(row, sub ? 1 : 0);
        if (sub && lastMulticall[cpu] >= 0) {
            ((BigIntVector) root.getVector(10)).set(row, lastMulticall[cpu]);
        }
        ((UInt1Vector) root.getVector(11)).set(row, call.present);
        for (int i = 0; i < 6; i++) {
            if (call.has(i)) {
                ((UInt8Vector) root.getVector(12 + i)).set(row, call.args[i]);
            }
        }
        boolean counted = call.op == Hypercalls.MMU_UPDATE || call.op == Hypercalls.MMUEXT_OP
            || call.op == Hypercalls.MULTICALL;
        if (counted && call.has(1)) {
            ((BigIntVector) root.getVector(18)).set(row, call.count());
        }
        ((BitVector) root.getVector(19)).set(row, call.preempted() ? 1 : 0);
        if (!sub && call.op == Hypercalls.MULTICALL) {
            lastMulticall[cpu] = r.seq();
        }
        commitRow();
    }
}
