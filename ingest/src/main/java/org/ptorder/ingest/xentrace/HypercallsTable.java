package org.ptorder.ingest.xentrace;

import java.util.Arrays;
import org.apache.arrow.vector.types.pojo.Schema;
import org.ptorder.ingest.common.TimeBase;
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

    public HypercallsTable(int fileId, TimeBase time) {
        super("hypercalls", fileId, time);
    }

    @Override
    public Schema schema() {
        return SCHEMA;
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
        setInt(0, fileId);
        setLong(1, r.seq());
        setLong(2, r.offset());
        setInt(3, cpu);
        setU16(4, dom);
        setU16(5, vcpu);
        setLong(6, r.tsc());
        setLong(7, time.nsOrMin(r.tsc()));
        setInt(8, call.op);
        setBool(9, sub ? 1 : 0);
        setLong(10, sub && lastMulticall[cpu] >= 0 ? lastMulticall[cpu] : NULL);
        setU8(11, call.present);
        for (int i = 0; i < 6; i++) {
            setULong(12 + i, call.has(i) ? call.args[i] : NULL);
        }
        boolean counted = call.op == Hypercalls.MMU_UPDATE || call.op == Hypercalls.MMUEXT_OP
            || call.op == Hypercalls.MULTICALL;
        setLong(18, counted && call.has(1) ? call.count() : NULL);
        setBool(19, call.preempted() ? 1 : 0);
        if (!sub && call.op == Hypercalls.MULTICALL) {
            lastMulticall[cpu] = r.seq();
        }
        commitRow();
    }
}
