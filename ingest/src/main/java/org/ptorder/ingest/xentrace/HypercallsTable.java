package org.ptorder.ingest.xentrace;

import java.util.Arrays;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.store.BatchColumn;
import org.ptorder.ingest.store.Columns;

/** Rows of {@code hypercalls}: hypercall (V2 and legacy v1) and multicall-entry records, decoded. */
public final class HypercallsTable extends XenTable {
    public static final Schema SCHEMA = new Columns().i32("file_id").i64("seq").i64("file_offset").i32("cpu")
        .u16("dom").u16("vcpu").i64("tsc").i64("ts").i32("op").bool("is_subcall").i64("parent_seq")
        .u8("arg_mask").u64("a0").u64("a1").u64("a2").u64("a3").u64("a4").u64("a5")
        .i64("count").bool("preempted").schema();

    private final Hypercalls.Call call = new Hypercalls.Call();
    /** Per pCPU: seq of the last multicall record, the parent of the subcalls that follow it. */
    private long[] lastMulticall = new long[0];
    // Typed columns kept in fields: most records of a PV trace are hypercalls.
    private final BatchColumn.I32 fileIdC = column(0);
    private final BatchColumn.I64 seqC = column(1);
    private final BatchColumn.I64 offC = column(2);
    private final BatchColumn.I32 cpuC = column(3);
    private final BatchColumn.I16 domC = column(4);
    private final BatchColumn.I16 vcpuC = column(5);
    private final BatchColumn.I64 tscC = column(6);
    private final BatchColumn.I64 tsC = column(7);
    private final BatchColumn.I32 opC = column(8);
    private final BatchColumn.Bool subC = column(9);
    private final BatchColumn.I64 parentC = column(10);
    private final BatchColumn.I8 maskC = column(11);
    private final BatchColumn.I64[] argC = new BatchColumn.I64[6];
    private final BatchColumn.I64 countC = column(18);
    private final BatchColumn.Bool preemptedC = column(19);

    public HypercallsTable(int fileId, TimeBase time) {
        super("hypercalls", SCHEMA, fileId, time);
        for (int i = 0; i < 6; i++) {
            argC[i] = column(12 + i);
        }
    }

    @Override
    public void offer(XenRecord r, int dom, int vcpu) throws InterruptedException {
        int ev = r.event();
        boolean sub = ev == XenEvents.PV_HYPERCALL_SUBCALL;
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
        int row = this.row;
        fileIdC.set(row, fileId);
        seqC.set(row, r.seq());
        offC.set(row, r.offset());
        cpuC.set(row, cpu);
        if (dom >= 0) {
            domC.set(row, dom);
            vcpuC.set(row, vcpu);
        }
        tscC.set(row, r.tsc());
        if (time.known()) {
            tsC.set(row, time.nsOrMin(r.tsc()));
        }
        opC.set(row, call.op);
        subC.set(row, sub);
        if (sub && lastMulticall[cpu] >= 0) {
            parentC.set(row, lastMulticall[cpu]);
        }
        maskC.set(row, call.present);
        for (int i = 0; i < 6; i++) {
            if (call.has(i)) {
                argC[i].set(row, call.args[i]);
            }
        }
        boolean counted = call.op == Hypercalls.MMU_UPDATE || call.op == Hypercalls.MMUEXT_OP
            || call.op == Hypercalls.MULTICALL;
        if (counted && call.has(1)) {
            countC.set(row, call.count());
        }
        preemptedC.set(row, call.preempted());
        if (!sub && call.op == Hypercalls.MULTICALL) {
            lastMulticall[cpu] = r.seq();
        }
        commitRow();
    }
}
