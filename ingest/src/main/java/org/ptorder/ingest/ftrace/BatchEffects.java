package org.ptorder.ingest.ftrace;

import java.util.BitSet;
import java.util.List;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * What a multicall batch does when xen_mc_flush issues it: its mmu_update requests are applied
 * (flush ops) and its other entries take effect (invlpg, new_baseptr, pin, ...), in entry order,
 * all at the flush line: Xen runs the entries one after another in that hypercall.
 */
final class BatchEffects {
    private static final long PAGE = 4096;

    private final Emitter out;
    private final LoweringStats stats;
    private final int cpuCount;

    BatchEffects(Emitter out, LoweringStats stats, int cpuCount) {
        this.out = out;
        this.stats = stats;
        this.cpuCount = cpuCount;
    }

    /** The batch's effects in entry order: each run of mmu_update entries is one flush op. */
    void emit(CpuState st, FtraceLine l, String reason) {
        List<Batch.Entry> es = st.batch.entries;
        boolean anyUpdate = st.batch.hasUpdates();
        if (!anyUpdate) {
            out.emit(l.lineNo, flushOp(st, l, 0, reason));
        }
        int runs = 0;
        for (int i = 0; i < es.size(); i++) {
            Batch.Entry e = es.get(i);
            if (e.op == Multicall.MMU_UPDATE) {
                long n = 0;
                while (i < es.size() && es.get(i).op == Multicall.MMU_UPDATE) {
                    n += es.get(i++).requests;
                }
                i--;
                if (runs++ > 0) {
                    stats.splitFlushes++; // a second run: one flush op per run keeps the entry order
                }
                out.emit(l.lineNo, flushOp(st, l, n, reason));
            } else if (e.op == Multicall.MMUEXT_OP) {
                for (Batch.Mmuext m : e.mmuext) {
                    mmuextOp(st, l, m, es, i);
                }
            } else if (e.op == Multicall.UPDATE_VA_MAPPING) {
                MmuOp op = out.stamp(new MmuOp(st.cpu, Op.UPDATE_VA_MAPPING), e.line, l.time, e.pid);
                op.va = e.va;
                op.val = e.val;
                op.flags = e.flags;
                out.emit(l.lineNo, op);
            }
        }
    }

    private MmuOp flushOp(CpuState st, FtraceLine l, long n, String reason) {
        MmuOp op = out.stamp(new MmuOp(st.cpu, Op.FLUSH), l.lineNo, l.time, l.pid);
        op.n = n;
        op.reason = reason;
        return op;
    }

    private void mmuextOp(CpuState st, FtraceLine l, Batch.Mmuext m, List<Batch.Entry> es, int at) {
        MmuOp op;
        switch (m.intent()) {
            case INVLPG -> {
                op = new MmuOp(st.cpu, Op.INVLPG);
                op.va = m.a();
            }
            case FLUSH_MULTI -> {
                long start = m.a();
                long end = m.b();
                boolean one = end != -1 && start != MmuOp.NONE && end != MmuOp.NONE
                    && Long.compareUnsigned(end - start, PAGE) <= 0;
                op = new MmuOp(st.cpu, one ? Op.INVLPG_MULTI : Op.TLB_FLUSH_MULTI);
                if (one) {
                    op.va = start;
                }
                op.mask = mask(st.cpu, m.c());
            }
            case TLB_FLUSH_LOCAL -> op = new MmuOp(st.cpu, Op.TLB_FLUSH);
            case TLB_FLUSH_ALL -> op = new MmuOp(st.cpu, Op.TLB_FLUSH_ALL);
            case NEW_BASEPTR -> {
                op = new MmuOp(st.cpu, Op.NEW_BASEPTR);
                op.root = m.a();
                op.user = (int) m.b();
            }
            case PIN, ALLOC -> {
                op = new MmuOp(st.cpu, Op.PIN);
                op.mfn = m.a();
                op.level = (int) m.b();
            }
            case UNPIN, RELEASE -> {
                op = new MmuOp(st.cpu, Op.UNPIN);
                // the pgd's own unpin (b = 4) names it by pointer; the others' page is made RW next
                op.mfn = m.b() == 4 || m.a() != MmuOp.NONE ? m.a() : nextUvmFrame(es, at);
            }
            default -> {
                return;
            }
        }
        if ((op.op == Op.PIN || op.op == Op.UNPIN) && op.mfn == MmuOp.NONE) {
            stats.unknownPinFrames++;
        }
        out.emit(l.lineNo, out.stamp(op, m.srcLine(), l.time, m.pid()));
    }

    private static long nextUvmFrame(List<Batch.Entry> es, int from) {
        for (int j = from + 1; j < es.size(); j++) {
            if (es.get(j).op == Multicall.UPDATE_VA_MAPPING) {
                return AddressMap.frameOf(es.get(j).val);
            }
        }
        return MmuOp.NONE;
    }

    /**
     * The vCPU set of a cross-CPU flush. The trace prints only its size (ncpus): all CPUs when it
     * equals the CPU count; with two CPUs a set of one is the other CPU (Linux calls
     * flush_tlb_multi only when another CPU is in the mm's mask); otherwise unknown.
     */
    private BitSet mask(int cpu, long ncpus) {
        BitSet s = new BitSet();
        if (ncpus == cpuCount) {
            s.set(0, cpuCount);
            return s;
        }
        if (cpuCount == 2 && ncpus == 1) {
            s.set(1 - cpu);
            return s;
        }
        return null;
    }
}
